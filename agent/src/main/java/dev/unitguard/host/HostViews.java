package dev.unitguard.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link HostView} per root that lives as long as nothing it caches changes, instead of one per request: its
 * users and groups while {@code ROOT/etc/passwd} and {@code ROOT/etc/group} keep their inode, size, mtime and ctime,
 * its mount flags while the host's mountinfo reads the same (for {@code /}), its ACLs while each file keeps its
 * inode and ctime (checked at every lookup). Files changed in the last second are read anew each time (see
 * {@link HostView#settled}). Each call hands out a fresh {@link HostView#snapshot()} of it, so files
 * are looked up anew per request and once within it.
 */
public final class HostViews {

    /** Views kept for this many roots at most (the agent has one; tests a few); past it they start over. */
    private static final int MAX_ROOTS = 16;

    private static final Map<Path, Kept> KEPT = new ConcurrentHashMap<>();

    private HostViews() {
    }

    /**
     * What a kept view was built from: when any of it differs, the view is built anew. Not {@code settled} when an
     * account file changed in the last second (its ctime could not tell a second change apart): not kept then.
     */
    private record Stamp(List<Object> accountFiles, byte[] mountInfo, boolean settled) {

        static Stamp of(Path root) {
            List<Object> files = new ArrayList<>();
            boolean settled = true;
            for (Path p : List.of(root.resolve("etc/passwd"), root.resolve("etc/group"))) {
                try {
                    Map<String, Object> a = Files.readAttributes(p, "unix:ino,size,lastModifiedTime,ctime",
                            LinkOption.NOFOLLOW_LINKS);
                    files.add(List.of(a.get("ino"), a.get("size"), a.get("lastModifiedTime"), a.get("ctime")));
                    settled &= HostView.settled((FileTime) a.get("ctime"));
                } catch (IOException e) {
                    files.add("missing");
                }
            }
            return new Stamp(files, root.getParent() == null ? HostView.hostMountInfoBytes() : new byte[0], settled);
        }

        boolean same(Stamp other) {
            return accountFiles.equals(other.accountFiles) && Arrays.equals(mountInfo, other.mountInfo);
        }
    }

    private record Kept(Stamp stamp, HostView view) {
    }

    /** A snapshot of the kept view of the host under {@code root}, built anew first when something changed. */
    public static HostView current(Path root) {
        Path normalized = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        Stamp now = Stamp.of(normalized);
        Kept kept = KEPT.get(normalized);
        if (!now.settled()) {
            KEPT.remove(normalized);
            return HostView.of(normalized, now.mountInfo()).snapshot();
        }
        if (kept == null || !kept.stamp().same(now)) {
            if (KEPT.size() >= MAX_ROOTS) {
                KEPT.clear();
            }
            kept = new Kept(now, HostView.of(normalized, now.mountInfo()));
            KEPT.put(normalized, kept);
        }
        return kept.view().snapshot();
    }

    /** The view kept for {@code root}, null when none is (for tests). */
    static HostView kept(Path root) {
        Kept kept = KEPT.get(root.toAbsolutePath().normalize());
        return kept == null ? null : kept.view();
    }
}
