package dev.unitguard.host;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@code lstat()} and {@code readlink()} told of host paths, kept across requests while provably current: every
 * kept entry, and every directory from {@code /} down to it, is watched with inotify ({@link FileWatch}); each request
 * starts with {@link #validate()}, one non-blocking read of the queue that drops what any event names (an overflow or
 * a mark on a watched mount table drops everything). The kernel queues an event in the system call that makes the
 * change, before it returns, so an entry still kept after {@code validate()} is what {@code lstat()} gives for every
 * change made before that call began. Never by time.
 *
 * <p>Kept only where inotify sees every change: file systems on {@link #WATCHED_TYPES} (not proc, sysfs, network or
 * FUSE file systems, not overlayfs, whose lower layers change unseen), an entry on the same device as its directory
 * or a mount point of such a file system, each directory on the way reached without a symlink ({@code IN_ONLYDIR |
 * IN_DONT_FOLLOW}). The entry's own watch sees a change made through another hard link. Holds lstat results, never
 * decisions. Bounded in entries and watches (a share of {@code fs.inotify.max_user_watches}, which root shares with
 * systemd): past either, it starts over (past the watches, with a new queue). Not seen: a write through a shared
 * {@code mmap} (no event; the mtime it sets).
 */
final class FileCache implements Closeable {

    /** statfs(2) f_type of the file systems kept: ext2/3/4, xfs, btrfs, tmpfs (devtmpfs: changes go through the VFS). */
    static final Set<Long> WATCHED_TYPES = Set.of(0xEF53L, 0x58465342L, 0x9123683EL, 0x01021994L);

    static final int MAX_ENTRIES = 1 << 14;
    private static final int ENOENT = 2;

    /** One kept lookup and the watch on the file itself (-1 for a missing file: its directory's watch tells). */
    private record Entry(Optional<FileMemo.Looked> looked, int wd) {
    }

    /** A watched directory: its device, and whether its file system is one inotify sees all changes of. */
    private record Dir(int wd, long dev, boolean watched) {
    }

    /**
     * A watched mount table, and its mounts as last read (a line per mount: a mount, unmount, move or remount
     * changes the line of its mount point).
     */
    private record MountTable(Path file, MountTableWatch.Watch watch, Set<String> lines) {

        static MountTable open(MountTableWatch mountWatch, Path file) throws IOException {
            MountTableWatch.Watch watch = mountWatch.open(file); // first: a mount from now on marks it
            try {
                return new MountTable(file, watch, Set.copyOf(Files.readAllLines(file)));
            } catch (IOException e) {
                watch.close();
                throw e;
            }
        }

        /** The mount points whose line is not in {@code other}. */
        Set<String> mountPointsNotIn(Set<String> other) {
            Set<String> points = new HashSet<>();
            for (String line : lines) {
                String[] fields = line.split(" ");
                if (!other.contains(line) && fields.length > 4) {
                    points.add(HostView.unescape(fields[4]));
                }
            }
            return points;
        }
    }

    private final FileWatch files;
    private final List<MountTable> mounts;
    private final int maxWatches;
    private FileWatch.Queue queue;
    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private final TreeMap<String, Optional<String>> links = new TreeMap<>();
    private final TreeMap<String, Dir> dirs = new TreeMap<>();
    /** Watch descriptor to the kept paths it stands for (an inode may be seen at several paths). */
    private final Map<Integer, Set<String>> watched = new HashMap<>();
    /** The watch descriptors the kernel holds for this queue (a watch is released with the queue or its file). */
    private final Set<Integer> kernelWatches = new HashSet<>();
    private boolean closed;
    /** How often it started over, looked up without keeping, and answered from what it kept (for tests, benches). */
    private long clears;
    private long unkept;
    private long hits;
    private long lost;
    private long restarts;

    private FileCache(FileWatch files, FileWatch.Queue queue, List<MountTable> mounts, int maxWatches) {
        this.files = files;
        this.queue = queue;
        this.mounts = mounts;
        this.maxWatches = maxWatches;
    }

    /**
     * A cache for lookups made in this process's mount namespace, which starts over whenever a mount table in
     * {@code mountInfos} changes; empty when inotify or the mount watch cannot be had (then nothing is kept).
     */
    static Optional<FileCache> open(FileWatch files, MountTableWatch mountWatch, List<Path> mountInfos) {
        List<MountTable> mounts = new ArrayList<>();
        FileWatch.Queue queue = null;
        try {
            for (Path mountInfo : mountInfos) {
                mounts.add(MountTable.open(mountWatch, mountInfo));
            }
            queue = files.open();
            return Optional.of(new FileCache(files, queue, mounts, maxWatches()));
        } catch (IOException | RuntimeException e) {
            mounts.forEach(m -> m.watch().close());
            if (queue != null) {
                queue.close();
            }
            return Optional.empty();
        }
    }

    /** For the host: both native parts of this machine, this process's own mount table. */
    static Optional<FileCache> system() {
        Optional<FileWatch> files = FileWatch.system();
        Optional<MountTableWatch> mounts = MountTableWatch.system();
        if (files.isEmpty() || mounts.isEmpty()) {
            return Optional.empty();
        }
        return open(files.get(), mounts.get(), List.of(Path.of("/proc/self/mountinfo")));
    }

    /** An eighth of the user's inotify watches, at most 4096: systemd and others need theirs. */
    private static int maxWatches() {
        try {
            // read to the end: the JDK trusts st_size, which a sysctl file may give wrong
            long max = Long.parseLong(
                    Files.readAllLines(Path.of("/proc/sys/fs/inotify/max_user_watches")).get(0).trim());
            return (int) Math.max(64, Math.min(4096, max / 8));
        } catch (IOException | RuntimeException e) {
            return 1024;
        }
    }

    /**
     * At the start of a request: drops what changed since the last call (every entry an event names; at and under
     * each mount point whose mount changed; everything on an overflow or an unreadable queue or mount table).
     */
    synchronized void validate() {
        if (closed) {
            return;
        }
        for (int i = 0; i < mounts.size(); i++) {
            MountTable mount = mounts.get(i);
            if (mount.watch().changed()) { // the mark is cleared as it is seen; read after, a later mount marks it
                Set<String> now;
                try {
                    now = Set.copyOf(Files.readAllLines(mount.file()));
                } catch (IOException | RuntimeException e) {
                    clear();
                    continue;
                }
                MountTable next = new MountTable(mount.file(), mount.watch(), now);
                Set<String> moved = mount.mountPointsNotIn(now);
                moved.addAll(next.mountPointsNotIn(mount.lines()));
                moved.forEach(this::drop);
                mounts.set(i, next);
            }
        }
        if (!queue.drain(this::event)) {
            lost++;
            clear();
        }
    }

    /**
     * Drops everything kept. The kernel's watches stay (closing a queue waits for the kernel's grace period, which
     * takes milliseconds): a lookup watching the same inode again gets the same descriptor.
     */
    synchronized void clear() {
        clears++;
        entries.clear();
        links.clear();
        dirs.clear();
        watched.clear();
    }

    /** Past the bound of watches: a new queue, so that the kernel forgets every watch. */
    private void restart() {
        restarts++;
        clear();
        kernelWatches.clear();
        queue.close();
        try {
            queue = files.open();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    /** The kept lookup of a normalised absolute host path, or {@code lookup}'s, kept when it can be watched. */
    synchronized Optional<FileMemo.Looked> lstat(Path host, Supplier<Optional<FileMemo.Looked>> lookup) {
        if (!host.isAbsolute() || !host.equals(host.normalize())) {
            return lookup.get();
        }
        String key = host.toString();
        Entry kept = entries.get(key);
        if (kept != null) {
            hits++;
            return kept.looked();
        }
        unkept++;
        Path parent = host.getParent();
        Dir dir = closed ? null : watchDirectories(parent == null ? host : parent); // "/": its own watch
        Dir self = dirs.get(key);
        if (dir == null || self != null && !self.watched()) {
            return lookup.get(); // below a directory not watched, or itself one (/proc): nothing to ask the kernel
        }
        if (entries.size() >= MAX_ENTRIES) {
            clear();
            return lookup.get();
        }
        if (kernelWatches.size() >= maxWatches) {
            restart();
            return lookup.get();
        }
        int wd = queue.watch(host, false); // before the lstat: a change after it is queued
        if (wd >= 0) {
            kernelWatches.add(wd);
        } else if (wd != -ENOENT) {
            return lookup.get();
        }
        Optional<FileMemo.Looked> found = lookup.get();
        if (found.isPresent() && (wd < 0 || found.get().dev() != dir.dev() && !watchedMountPoint(host))) {
            return found; // created since the watch failed, or a mount point of a file system not watched
        }
        entries.put(key, new Entry(found, wd));
        if (wd >= 0) {
            see(wd, key);
        }
        return found;
    }

    /** The target of a kept symlink, or {@code lookup}'s (kept while the symlink's entry is). */
    synchronized Optional<String> readLink(Path host, Supplier<Optional<String>> lookup) {
        String key = host.toString();
        Optional<String> known = links.get(key);
        if (known != null) {
            return known;
        }
        Optional<String> found = lookup.get();
        Entry entry = entries.get(key);
        if (entry != null && entry.looked().map(l -> l.info().type() == FileInfo.Type.SYMLINK).orElse(false)) {
            links.put(key, found); // a symlink's target changes only with its inode, which is watched
        }
        return found;
    }

    /**
     * Whether a mount point's own file system is one inotify sees: which file system is mounted there the mount
     * table tells, and a change of its root (chmod /dev) the root's own watch.
     */
    private boolean watchedMountPoint(Path host) {
        return WATCHED_TYPES.contains(files.fileSystemType(host));
    }

    /** What it did so far, for tests and benchmarks. */
    synchronized String stats() {
        return "max " + maxWatches + " kept " + entries.size() + " dirs " + dirs.size() + " watches " + kernelWatches.size() + " hits "
                + hits + " misses " + unkept + " clears " + clears + " (lost events " + lost + ", restarts " + restarts
                + ")";
    }

    /** How many lookups are kept (for tests). */
    synchronized int size() {
        return entries.size();
    }

    /** Watches each directory from {@code /} down to {@code dir}; the last, or null when one cannot be watched. */
    private Dir watchDirectories(Path dir) {
        Dir known = dirs.get(dir.toString());
        if (known != null) {
            return known.watched() ? known : null;
        }
        Path parent = dir.getParent();
        if (parent != null && watchDirectories(parent) == null) {
            return null;
        }
        int wd = queue.watch(dir, true);
        if (wd < 0) {
            return null; // missing, a symlink, not a directory: not kept
        }
        kernelWatches.add(wd);
        long dev;
        try {
            dev = ((Number) Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Dir watchedDir = new Dir(wd, dev, WATCHED_TYPES.contains(files.fileSystemType(dir)));
        dirs.put(dir.toString(), watchedDir);
        see(wd, dir.toString());
        return watchedDir.watched() ? watchedDir : null;
    }

    private void see(int wd, String path) {
        watched.computeIfAbsent(wd, w -> new HashSet<>()).add(path);
    }

    /** {@code path} no longer stands for {@code wd}, unless it is still kept as the other of entry and directory. */
    private void unsee(int wd, String path) {
        Entry entry = entries.get(path);
        Dir dir = dirs.get(path);
        Set<String> paths = watched.get(wd);
        if (paths != null && (entry == null || entry.wd() != wd) && (dir == null || dir.wd() != wd)) {
            paths.remove(path);
        }
    }

    /** One event: its directory's entry and everything at and under the name, or the watched file and under. */
    private void event(int wd, String name, boolean gone) {
        if (gone) {
            kernelWatches.remove(wd);
        }
        Set<String> paths = gone ? watched.remove(wd) : watched.get(wd);
        if (paths == null) {
            return;
        }
        for (String path : List.copyOf(paths)) {
            if (name == null) {
                drop(path);
            } else {
                dropEntry(path); // its mtime and ctime changed
                drop(path.equals("/") ? "/" + name : path + "/" + name);
            }
        }
    }

    /** Forgets {@code path} and everything under it: entries, symlink targets, directory watches. */
    private void drop(String path) {
        if (path.equals("/")) {
            entries.clear();
            links.clear();
            dirs.clear();
            watched.clear();
            return;
        }
        dropEntry(path);
        dropDir(path);
        new ArrayList<>(below(entries, path).keySet()).forEach(this::dropEntry);
        new ArrayList<>(below(dirs, path).keySet()).forEach(this::dropDir);
        below(links, path).clear();
    }

    private void dropEntry(String path) {
        Entry entry = entries.remove(path);
        links.remove(path);
        if (entry != null && entry.wd() >= 0) {
            unsee(entry.wd(), path);
        }
    }

    private void dropDir(String path) {
        Dir dir = dirs.remove(path);
        if (dir != null) {
            unsee(dir.wd(), path);
        }
    }

    /** The keys strictly under {@code path} ({@code path/...}; '0' follows '/'). */
    private static <V> SortedMap<String, V> below(TreeMap<String, V> map, String path) {
        return map.subMap(path + "/", path + "0");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            queue.close();
            mounts.forEach(m -> m.watch().close());
        }
    }
}
