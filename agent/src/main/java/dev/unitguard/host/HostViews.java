package dev.unitguard.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@link HostView} per root that lives as long as nothing it caches changes, instead of one per request: its
 * users and groups while {@code ROOT/etc/passwd} and {@code ROOT/etc/group} keep their inode, size, mtime and ctime,
 * its mount flags while the host's mountinfo reads the same (for {@code /}), its ACLs while each file keeps its
 * inode and ctime (checked at every lookup). Files changed in the last second are read anew each time (see
 * {@link HostView#settled}). The mountinfo is read again only when the kernel marks it changed
 * ({@link MountTableWatch}; each time when that cannot be asked). Each call hands out a fresh
 * {@link HostView#snapshot()} of it, so files are looked up once within a request, and across requests through the
 * view's {@link FileCache}, which each call first brings up to date (inotify; a mount change drops it).
 */
public final class HostViews {

    /** Views kept for this many roots at most (the agent has one; tests a few); past it they start over. */
    private static final int MAX_ROOTS = 16;

    /** The mountinfo files {@link HostView#hostMountInfoBytes()} reads, in its order. */
    private static final List<Path> MOUNT_INFO = List.of(Path.of("/proc/1/mountinfo"), Path.of("/proc/self/mountinfo"));

    /** Guarded by the class: a mount watch's mark is cleared by the one who sees it, who then rebuilds the view. */
    private static final Map<Path, Root> ROOTS = new HashMap<>();

    private HostViews() {
    }

    /**
     * What a kept view was built from: when any of it differs, the view is built anew. Not {@code settled} when an
     * account file changed in the last second (its ctime could not tell a second change apart): not kept then.
     */
    private record Stamp(List<Object> accountFiles, byte[] mountInfo, boolean settled) {

        boolean same(Stamp other) {
            return accountFiles.equals(other.accountFiles) && Arrays.equals(mountInfo, other.mountInfo);
        }
    }

    /**
     * The account files' inode, size, mtime and ctime (through the root's file cache when it has one); whether both
     * are older than a second.
     */
    private record AccountFiles(List<Object> stamps, boolean settled) {

        static AccountFiles of(Path root, FileCache files) {
            List<Object> stamps = new ArrayList<>(2);
            boolean settled = true;
            for (String file : ACCOUNT_FILES) {
                Path p = root.resolve(file);
                Optional<FileMemo.Looked> looked = files == null ? HostView.lookedBySystem(p)
                        : files.lstat(p, () -> HostView.lookedBySystem(p));
                if (looked.isPresent()) {
                    FileVersion version = looked.get().version();
                    stamps.add(version);
                    settled &= version.settled();
                } else {
                    stamps.add("missing");
                }
            }
            return new AccountFiles(stamps, settled);
        }
    }

    private static final List<String> ACCOUNT_FILES = List.of("etc/passwd", "etc/group");

    /**
     * What is kept for a root: its file cache (null when inotify cannot be had), opened with the first view and
     * closed only when the root is forgotten, and its current view (null while none is kept).
     */
    private static final class Root {
        final FileCache files;
        Kept kept;

        Root(FileCache files) {
            this.files = files;
        }

        void release() {
            if (kept != null) {
                kept.close();
                kept = null;
            }
            if (files != null) {
                files.close();
            }
        }
    }

    /** A view, what it was built from, and the open mountinfo whose mark tells when to read it again (or null). */
    private record Kept(Stamp stamp, HostView view, MountTableWatch.Watch watch) {

        void close() {
            if (watch != null) {
                watch.close();
            }
        }
    }

    /** The host's mountinfo bytes, and a watch opened on the same file before they were read (null when none). */
    private record MountInfo(byte[] bytes, MountTableWatch.Watch watch) {

        static MountInfo read(Optional<MountTableWatch> watches) {
            if (watches.isPresent()) {
                for (Path file : MOUNT_INFO) {
                    MountTableWatch.Watch watch = null;
                    try {
                        watch = watches.get().open(file); // first: a change while reading marks it
                        return new MountInfo(Files.readAllBytes(file), watch);
                    } catch (IOException e) {
                        if (watch != null) {
                            watch.close();
                        }
                    }
                }
            }
            return new MountInfo(HostView.hostMountInfoBytes(), null);
        }
    }

    /** A snapshot of the kept view of the host under {@code root}, built anew first when something changed. */
    public static HostView current(Path root) {
        return current(Objects.requireNonNull(root, "root").toAbsolutePath().normalize(), MountTableWatch.system());
    }

    static HostView current(Path normalized, Optional<MountTableWatch> watches) {
        boolean host = normalized.getParent() == null;
        synchronized (HostViews.class) {
            Root root = root(normalized);
            if (root.files != null) {
                root.files.validate(); // first: what changed before this call is dropped, the account files too
            }
            AccountFiles accounts = AccountFiles.of(normalized, root.files);
            Kept kept = root.kept;
            MountInfo mountInfo;
            if (!host) {
                mountInfo = new MountInfo(new byte[0], null);
            } else if (kept != null && kept.watch() != null && !kept.watch().changed()) {
                mountInfo = new MountInfo(kept.stamp().mountInfo(), kept.watch()); // provably the same table
            } else {
                mountInfo = MountInfo.read(watches); // the file cache watches this process's own mount table
            }
            Stamp now = new Stamp(accounts.stamps(), mountInfo.bytes(), accounts.settled());
            if (!now.settled()) {
                drop(root, mountInfo);
                if (mountInfo.watch() != null) {
                    mountInfo.watch().close(); // not kept: the next call reads the table again
                }
                return HostView.of(normalized, now.mountInfo(), root.files).snapshot();
            }
            if (kept == null || !kept.stamp().same(now)) {
                drop(root, mountInfo);
                kept = new Kept(now, HostView.of(normalized, now.mountInfo(), root.files), mountInfo.watch());
            } else if (kept.watch() != mountInfo.watch()) {
                // the table was read again (marked, or no watch) and reads the same: keep the view, the newer watch
                kept.close();
                kept = new Kept(kept.stamp(), kept.view(), mountInfo.watch());
            }
            root.kept = kept;
            return kept.view().snapshot();
        }
    }

    /** What is kept for a normalised root, its file cache opened the first time (past {@link #MAX_ROOTS}: anew). */
    private static Root root(Path normalized) {
        Root root = ROOTS.get(normalized);
        if (root == null) {
            if (ROOTS.size() >= MAX_ROOTS) {
                ROOTS.values().forEach(Root::release);
                ROOTS.clear();
            }
            root = new Root(FileCache.system().orElse(null));
            ROOTS.put(normalized, root);
        }
        return root;
    }

    /** Forgets the view kept for a root (not its file cache), closing its watch unless {@code still} goes on with it. */
    private static void drop(Root root, MountInfo still) {
        Kept old = root.kept;
        root.kept = null;
        if (old != null && old.watch() != still.watch()) {
            old.close();
        }
    }

    /** Forgets the view and the file cache kept for {@code root}, closing their watches (for tests). */
    static void forget(Path root) {
        synchronized (HostViews.class) {
            Root old = ROOTS.remove(root.toAbsolutePath().normalize());
            if (old != null) {
                old.release();
            }
        }
    }

    /** The view kept for {@code root}, null when none is (for tests). */
    static HostView kept(Path root) {
        synchronized (HostViews.class) {
            Root kept = ROOTS.get(root.toAbsolutePath().normalize());
            return kept == null || kept.kept == null ? null : kept.kept.view();
        }
    }
}
