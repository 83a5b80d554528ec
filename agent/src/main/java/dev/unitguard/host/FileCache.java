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
 * (not a mount point), each directory on the way reached without a symlink ({@code IN_ONLYDIR | IN_DONT_FOLLOW}). The
 * entry's own watch sees a change made through another hard link. Holds lstat results, never decisions. Bounded in
 * entries and watches (a share of {@code fs.inotify.max_user_watches}, which root shares with systemd): past either,
 * it starts over with a new queue. Not seen: a write through a shared {@code mmap} (no event; the mtime it sets).
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

    private final FileWatch files;
    private final List<MountTableWatch.Watch> mounts;
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

    private FileCache(FileWatch files, FileWatch.Queue queue, List<MountTableWatch.Watch> mounts, int maxWatches) {
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
        List<MountTableWatch.Watch> mounts = new ArrayList<>();
        FileWatch.Queue queue = null;
        try {
            for (Path mountInfo : mountInfos) {
                mounts.add(mountWatch.open(mountInfo)); // first: a mount from now on marks it
            }
            queue = files.open();
            return Optional.of(new FileCache(files, queue, mounts, maxWatches()));
        } catch (IOException | RuntimeException e) {
            mounts.forEach(MountTableWatch.Watch::close);
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
            long max = Long.parseLong(Files.readString(Path.of("/proc/sys/fs/inotify/max_user_watches")).trim());
            return (int) Math.max(64, Math.min(4096, max / 8));
        } catch (IOException | NumberFormatException e) {
            return 1024;
        }
    }

    /**
     * At the start of a request: drops what changed since the last call (every entry an event names, everything on
     * an overflow, an unreadable queue or a changed mount table).
     */
    synchronized void validate() {
        if (closed) {
            return;
        }
        boolean mounted = false;
        for (MountTableWatch.Watch mount : mounts) {
            mounted |= mount.changed(); // each: the marks are cleared as they are seen
        }
        if (mounted || !queue.drain(this::event)) {
            clear();
        }
    }

    /** Drops everything (a mount table changed): a new queue, so the kernel forgets every watch. */
    synchronized void clear() {
        entries.clear();
        links.clear();
        dirs.clear();
        watched.clear();
        kernelWatches.clear();
        if (closed) {
            return;
        }
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
            return kept.looked();
        }
        Path parent = host.getParent();
        Dir dir = closed || parent == null ? null : watchDirectories(parent);
        if (dir == null) {
            return lookup.get();
        }
        if (entries.size() >= MAX_ENTRIES || kernelWatches.size() >= maxWatches) {
            clear();
            return lookup.get();
        }
        int wd = queue.watch(host, false); // before the lstat: a change after it is queued
        if (wd >= 0) {
            kernelWatches.add(wd);
        } else if (wd != -ENOENT) {
            return lookup.get();
        }
        Optional<FileMemo.Looked> found = lookup.get();
        if (found.isPresent() && (wd < 0 || found.get().dev() != dir.dev())) {
            return found; // created since the watch failed, or a mount point: not kept
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
            mounts.forEach(MountTableWatch.Watch::close);
        }
    }
}
