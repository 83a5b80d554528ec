package dev.unitguard.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
    private static final Map<Path, Kept> KEPT = new HashMap<>();

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

    /** The account files' inode, size, mtime and ctime; whether both are older than a second. */
    private record AccountFiles(List<Object> stamps, boolean settled) {

        static AccountFiles of(Path root) {
            List<Object> files = new ArrayList<>();
            boolean settled = true;
            for (Path p : List.of(root.resolve("etc/passwd"), root.resolve("etc/group"))) {
                try {
                    Map<String, Object> a = Files.readAttributes(p, "unix:ino,size,lastModifiedTime,ctime",
                            LinkOption.NOFOLLOW_LINKS);
                    FileVersion version = new FileVersion((Long) a.get("ino"), (Long) a.get("size"),
                            (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"));
                    files.add(version);
                    settled &= version.settled();
                } catch (IOException e) {
                    files.add("missing");
                }
            }
            return new AccountFiles(files, settled);
        }
    }

    /** A view, what it was built from, and the open mountinfo whose mark tells when to read it again (or null). */
    private record Kept(Stamp stamp, HostView view, MountTableWatch.Watch watch) {

        void close() {
            if (watch != null) {
                watch.close();
            }
        }

        /** Closes the watch and the view's file cache: the view is no longer kept. */
        void release() {
            close();
            view.files().ifPresent(FileCache::close);
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
        AccountFiles accounts = AccountFiles.of(normalized);
        synchronized (HostViews.class) {
            Kept kept = KEPT.get(normalized);
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
                drop(normalized, mountInfo);
                if (mountInfo.watch() != null) {
                    mountInfo.watch().close(); // not kept: the next call reads the table again
                }
                return HostView.of(normalized, now.mountInfo()).snapshot();
            }
            if (kept == null || !kept.stamp().same(now)) {
                drop(normalized, mountInfo);
                if (KEPT.size() >= MAX_ROOTS) {
                    KEPT.values().forEach(Kept::release);
                    KEPT.clear();
                }
                kept = new Kept(now, HostView.of(normalized, now.mountInfo(), FileCache.system().orElse(null)),
                        mountInfo.watch());
                KEPT.put(normalized, kept);
            } else if (kept.watch() != mountInfo.watch()) {
                // the table was read again (marked, or no watch) and reads the same: keep the view, the newer watch
                kept.close();
                kept = new Kept(kept.stamp(), kept.view(), mountInfo.watch());
                KEPT.put(normalized, kept);
            }
            kept.view().files().ifPresent(FileCache::validate); // what changed before this call is dropped
            return kept.view().snapshot();
        }
    }

    /** Forgets the view kept for a root, closing its watch unless {@code still} goes on with it. */
    private static void drop(Path root, MountInfo still) {
        Kept old = KEPT.remove(root);
        if (old != null) {
            old.view().files().ifPresent(FileCache::close);
            if (old.watch() != still.watch()) {
                old.close();
            }
        }
    }

    /** Forgets the view kept for {@code root}, closing its watch (for tests). */
    static void forget(Path root) {
        synchronized (HostViews.class) {
            Kept old = KEPT.remove(root.toAbsolutePath().normalize());
            if (old != null) {
                old.release();
            }
        }
    }

    /** The view kept for {@code root}, null when none is (for tests). */
    static HostView kept(Path root) {
        synchronized (HostViews.class) {
            Kept kept = KEPT.get(root.toAbsolutePath().normalize());
            return kept == null ? null : kept.view();
        }
    }
}
