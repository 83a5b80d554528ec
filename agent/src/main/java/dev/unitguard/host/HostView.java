package dev.unitguard.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The machine as seen under a root directory: files (lstat semantics, symlinks resolved within the root, POSIX
 * ACLs through an {@link AclReader}), users and groups from {@code ROOT/etc/passwd} and {@code ROOT/etc/group}
 * ({@link Accounts}), and the read-only and noexec mounts.
 */
public final class HostView {

    /**
     * Flags of a mount point that matter for access, and its file system type as mountinfo names it ({@code ext4},
     * {@code cgroup2}; empty when not known).
     */
    public record MountFlags(boolean readOnly, boolean noexec, String fsType) {

        /** The kernel's own file systems, in which no one creates a regular file: {@code open(O_CREAT)} fails. */
        private static final java.util.Set<String> KERNEL = java.util.Set.of("cgroup", "cgroup2", "sysfs", "proc",
                "securityfs", "debugfs", "tracefs", "bpf", "configfs", "pstore", "efivarfs", "fusectl");

        public MountFlags {
            java.util.Objects.requireNonNull(fsType, "fsType");
        }

        public MountFlags(boolean readOnly, boolean noexec) {
            this(readOnly, noexec, "");
        }

        /** True for a kernel file system (cgroup2, sysfs, proc, ...): files in it are the kernel's, none is created. */
        public boolean kernelFileSystem() {
            return KERNEL.contains(fsType);
        }
    }

    private static final int MAX_SYMLINKS = 40;

    private final Path root;
    private final TreeMap<String, MountFlags> mounts;
    private final Accounts accounts;
    private final AclReader acls;
    /** Shared by a view and its snapshots; an entry holds only while the file's inode and ctime are the same. */
    private final Map<String, CachedAcl> aclCache;
    /** A snapshot's memo of lookups (null for a live view): see {@link #snapshot()}. */
    private final FileMemo memo;
    private final HostBinds binds;
    /** Lookups kept across snapshots while inotify proves them current (null: none); only snapshots use it. */
    private final FileCache files;

    private HostView(Path root, Map<String, MountFlags> mounts, AclReader acls, HostBinds binds) {
        this(root, mounts, acls, binds, null);
    }

    private HostView(Path root, Map<String, MountFlags> mounts, AclReader acls, HostBinds binds, FileCache files) {
        this.root = root.toAbsolutePath().normalize();
        this.mounts = new TreeMap<>(mounts);
        this.acls = acls;
        this.binds = binds;
        this.accounts = Accounts.read(this.root);
        this.aclCache = new ConcurrentHashMap<>();
        this.memo = null;
        this.files = files;
    }

    private HostView(HostView live, FileMemo memo) {
        this.root = live.root;
        this.mounts = live.mounts;
        this.acls = live.acls;
        this.accounts = live.accounts;
        this.aclCache = live.aclCache;
        this.binds = live.binds;
        this.files = live.files;
        this.memo = memo;
    }

    /**
     * A view of the same host that remembers what it looked up: each path is stat'ed and resolved once for the
     * snapshot's life (one check, one request). Accounts, mounts and the ACL cache are shared with this view, so a
     * long-lived view ({@link HostViews}) hands out cheap snapshots. This view itself when it is a snapshot already.
     */
    public HostView snapshot() {
        return memo != null ? this : new HostView(this, new FileMemo());
    }

    /**
     * For a snapshot, {@code compute}'s value kept for the snapshot's life under {@code key} (a key whose
     * {@code equals} is identity keeps it for that one object): what one check derives from the host twice, derived
     * once. A live view computes it each time.
     */
    public <T> T derived(Object key, java.util.function.Supplier<T> compute) {
        return memo == null ? compute.get() : memo.derived(key, compute);
    }

    /**
     * The host under {@code root}, ACLs read with {@link AclReader#system()}; for {@code /} the mount flags come
     * from {@code /proc/1/mountinfo} (the mounts services get, not those of a sandboxed caller such as the agent
     * under ProtectSystem=strict), or {@code /proc/self/mountinfo} when PID 1's cannot be read (ProtectProc=invisible,
     * hidepid). The host root is read through the {@link HostBinds#fromEnvironment() binds} of the agent's unit.
     */
    public static HostView of(Path root) {
        Path normalized = root.toAbsolutePath().normalize();
        return of(normalized, normalized.getParent() == null ? hostMountInfoBytes() : new byte[0]);
    }

    /**
     * As {@link #of(Path)} for a normalised root, the mount flags of {@code /} parsed from {@code hostMountInfo} as
     * {@link #hostMountInfoBytes()} read it (ignored for any other root): {@link HostViews} builds its view from the
     * very bytes it keeps to notice a change.
     */
    static HostView of(Path normalized, byte[] hostMountInfo) {
        return of(normalized, hostMountInfo, null);
    }

    /** As {@link #of(Path, byte[])}, its snapshots looking up through {@code files} (null: none). */
    static HostView of(Path normalized, byte[] hostMountInfo, FileCache files) {
        boolean host = normalized.getParent() == null;
        return new HostView(normalized, host ? parseMountInfo(hostMountInfo) : Map.of(), AclReader.system(),
                host ? HostBinds.fromEnvironment() : HostBinds.NONE, files);
    }

    /** The lookups this view keeps across snapshots, when it does. */
    Optional<FileCache> files() {
        return Optional.ofNullable(files);
    }

    /** The bytes of the mountinfo {@link #of(Path)} reads for {@code /}: the same bytes, the same mount flags. */
    static byte[] hostMountInfoBytes() {
        for (String file : List.of("/proc/1/mountinfo", "/proc/self/mountinfo")) {
            try {
                return Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                // PID 1's hidden (ProtectProc=invisible, hidepid): the view reads our own
            }
        }
        return new byte[0];
    }

    /**
     * The machine under {@code root} with the mount flags of a {@code mountinfo} file whose mount points are
     * relative to that root: for a container, {@code /proc/PID/root} and {@code /proc/PID/mountinfo} (the kernel
     * shows the mount points as the container's init sees them). ACLs are read as by {@link #of(Path)}.
     */
    public static HostView withMountInfo(Path root, Path mountInfo) {
        return new HostView(root, readMountInfo(mountInfo), AclReader.system(), HostBinds.NONE);
    }

    /** The host under {@code root}, with the given mount points (paths inside the root) and flags, no ACLs read. */
    public static HostView of(Path root, Map<String, MountFlags> mounts) {
        return new HostView(root, mounts, AclReader.NONE, HostBinds.NONE);
    }

    /** The same host with ACLs read by {@code reader}; accounts are read anew. */
    public HostView withAcls(AclReader reader) {
        return new HostView(root, mounts, reader, binds);
    }

    /** The same host with the paths under the binds' sources read at their destinations; accounts are read anew. */
    public HostView withBinds(HostBinds other) {
        return new HostView(root, mounts, acls, other);
    }

    /**
     * Where a canonical absolute path is on this machine: a directory trusted as the start of a walk (the root, or a
     * bind's destination) and the names below it.
     */
    public HostBinds.Located locate(String path) {
        return binds.locate(path).orElseGet(() -> new HostBinds.Located(root, "/",
                Arrays.stream(path.split("/+")).filter(n -> !n.isEmpty()).toList()));
    }

    /** Whether ACLs are read at all (false when the C library's {@code lgetxattr} cannot be bound). */
    public boolean readsAcls() {
        return acls != AclReader.NONE;
    }

    /** The path of a file inside the root on the machine running unitguard. */
    public Path hostPath(String path) {
        return toHost(path);
    }

    public Path root() {
        return root;
    }

    /** The file at an absolute path, symlinks in it resolved within the root; empty when it does not exist. */
    public Optional<FileInfo> stat(String path) {
        return lstat(resolve(path));
    }

    /** The file itself at a symlink-free absolute path, not following a final symlink. */
    public Optional<FileInfo> lstat(String path) {
        return looked(path).map(FileMemo.Looked::info);
    }

    /**
     * The inode, size, mtime and ctime of the file at a symlink-free absolute path (not following a final symlink),
     * from the same {@code lstat()} as {@link #lstat}; empty when it does not exist.
     */
    public Optional<FileVersion> version(String path) {
        return looked(path).map(FileMemo.Looked::version);
    }

    private Optional<FileMemo.Looked> looked(String path) {
        return memo == null ? lstatNow(path) : memo.lstat(path, this::lstatKept);
    }

    /** Through the cache kept across snapshots, for a path whose host path it can watch (not the root's link). */
    private Optional<FileMemo.Looked> lstatKept(String path) {
        Path p = toHost(path);
        if (files == null || p.equals(root) && root.getParent() != null) {
            return lstatNow(path);
        }
        return files.lstat(p, () -> lstatNow(path));
    }

    private Optional<FileMemo.Looked> lstatNow(String path) {
        Path p = toHost(path);
        // The root itself may be a link (a container's /proc/PID/root): it is followed, it is the root.
        return looked(p, p.equals(root), (host, ino, ctime) -> acl(path, host, ino, ctime));
    }

    /** The ACL of a file as of its inode and ctime. */
    private interface AclLookup {
        List<AclEntry> acl(Path host, long ino, FileTime ctime);
    }

    private static Optional<FileMemo.Looked> looked(Path p, boolean follow, AclLookup acls) {
        Optional<StatSource.Stat> found = stat(p, follow);
        if (found.isEmpty()) {
            return Optional.empty(); // missing or unreadable: the service cannot see it either
        }
        StatSource.Stat a = found.get();
        FileInfo info = new FileInfo(FileInfo.typeOf(a.mode()), a.uid(), a.gid(), a.mode() & 07777);
        FileVersion version = new FileVersion(a.ino(), a.size(), a.mtime(), a.ctime());
        return Optional.of(new FileMemo.Looked(info.type() == FileInfo.Type.SYMLINK ? info
                : info.withAcl(acls.acl(p, a.ino(), a.ctime())), version, a.dev()));
    }

    /**
     * What a view of the host would look up at a host path and keep in its {@link FileCache} (not following a final
     * symlink, the ACL read with {@link AclReader#system()}), for {@link HostViews} to look up through the same cache.
     */
    static Optional<FileMemo.Looked> lookedBySystem(Path host) {
        return looked(host, false, (p, ino, ctime) -> readAcl(AclReader.system(), p));
    }

    /**
     * One {@code lstat()} ({@code stat()} when {@code follow}) of a host path: through the native {@link StatSource}
     * when there is one (no exception for a missing file), else the JDK's.
     */
    static Optional<StatSource.Stat> stat(Path p, boolean follow) {
        if (SystemMountTableWatch.STAT.isPresent()) {
            return SystemMountTableWatch.STAT.get().stat(p, follow);
        }
        return jdkStat(p, follow);
    }

    /** As {@link #stat}, through the JDK's {@code unix:} attributes. */
    static Optional<StatSource.Stat> jdkStat(Path p, boolean follow) {
        try {
            Map<String, Object> a = follow ? Files.readAttributes(p, STAT)
                    : Files.readAttributes(p, STAT, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new StatSource.Stat((Integer) a.get("mode"), (Integer) a.get("uid"),
                    (Integer) a.get("gid"), (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("size"),
                    (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One {@code lstat()}: the access bits, and the inode, size, mtime and ctime that tell whether a cache holds. */
    private static final String STAT = "unix:mode,uid,gid,ino,dev,ctime,size,lastModifiedTime";

    /** The most ACLs kept (a path each); past it the cache starts over. */
    private static final int MAX_CACHED_ACLS = 1 << 16;

    /** An ACL as read, with the inode and ctime it was read at ({@code setfacl}, chmod and chown change the ctime). */
    private record CachedAcl(long ino, FileTime ctime, List<AclEntry> acl) {
    }

    private List<AclEntry> acl(String path, Path p, long ino, FileTime ctime) {
        CachedAcl cached = aclCache.get(path);
        if (cached != null && cached.ino() == ino && cached.ctime().equals(ctime)) {
            return cached.acl();
        }
        List<AclEntry> read = readAcl(acls, p);
        if (settled(ctime)) {
            if (aclCache.size() >= MAX_CACHED_ACLS) {
                aclCache.clear();
            }
            aclCache.put(path, new CachedAcl(ino, ctime, read));
        }
        return read;
    }

    private static List<AclEntry> readAcl(AclReader reader, Path p) {
        try {
            return reader.read(p);
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /**
     * Whether a ctime is old enough to tell changes apart: the kernel stamps files from a clock that ticks every few
     * milliseconds, so a second change within the tick keeps the ctime (git's "racily clean" problem). What changed
     * in the last second is read again each time.
     */
    static boolean settled(FileTime ctime) {
        return ctime.toMillis() < System.currentTimeMillis() - 1000;
    }

    /** The target of the symlink at a symlink-free absolute path, as written; empty when it is not a symlink. */
    public Optional<String> readLink(String path) {
        return readLinkAt(toHost(path));
    }

    private Optional<String> readLinkKept(String path) {
        Path p = toHost(path);
        return files == null ? readLinkAt(p) : files.readLink(p, () -> readLinkAt(p));
    }

    private static Optional<String> readLinkAt(Path host) {
        try {
            return Optional.of(Files.readSymbolicLink(host).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The names in a directory at a symlink-free absolute path, sorted; empty when it cannot be listed. */
    public List<String> list(String path) {
        try (var entries = Files.list(toHost(path))) {
            return entries.map(e -> e.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The canonical form of an absolute path: symlinks resolved within the root (an absolute link target is
     * relative to the root), {@code .} and {@code ..} removed; components after a missing one are kept as they are.
     */
    public String resolve(String path) {
        return memo == null ? resolveNow(path) : memo.resolve(path, this::resolveNow);
    }

    private String resolveNow(String path) {
        String current = "/";
        ArrayDeque<String> todo = new ArrayDeque<>(Arrays.asList(Dac.components(path)));
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.removeFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                current = parent(current);
                continue;
            }
            String next = child(current, c);
            current = next;
            if (!isSymbolicLink(next) || links++ >= MAX_SYMLINKS) {
                continue;
            }
            Optional<String> target = memo == null ? readLinkAt(toHost(next)) : memo.readLink(next, this::readLinkKept);
            if (target.isEmpty()) {
                continue;
            }
            current = target.get().startsWith("/") ? "/" : parent(next);
            String[] components = Dac.components(target.get());
            for (int i = components.length - 1; i >= 0; i--) {
                todo.addFirst(components[i]);
            }
        }
        return current;
    }

    /**
     * Whether the file at a path (symlink-free but for its last component) is a symlink: a snapshot answers from its
     * memo of {@link #lstat}, so that resolving paths with common parents stats each parent once per snapshot.
     */
    private boolean isSymbolicLink(String path) {
        return memo == null ? stat(toHost(path), false).map(a -> FileInfo.typeOf(a.mode()) == FileInfo.Type.SYMLINK)
                .orElse(false)
                : lstat(path).map(i -> i.type() == FileInfo.Type.SYMLINK).orElse(false);
    }

    public Optional<Accounts.User> user(String nameOrUid) {
        return accounts.user(nameOrUid);
    }

    public Optional<Accounts.Group> group(String nameOrGid) {
        return accounts.group(nameOrGid);
    }

    /** The groups listing {@code user} as a member in {@code /etc/group}. */
    public List<Accounts.Group> memberships(String user) {
        return accounts.memberships(user);
    }

    /** The mount point holding {@code path} (the deepest known one), or {@code /}. */
    public String mountPointOf(String path) {
        for (String mp = path; ; mp = parent(mp)) {
            if (mounts.containsKey(mp) || mp.equals("/")) {
                return mp;
            }
        }
    }

    /** The flags of the mount holding {@code path}. */
    public MountFlags mountFlags(String path) {
        return mounts.getOrDefault(mountPointOf(path), new MountFlags(false, false));
    }

    /** The parent of a canonical absolute path; {@code /} for {@code /}. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** {@code child} under {@code dir} ({@code /} aware). */
    public static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    public static String join(List<String> components) {
        return components.isEmpty() ? "/" : "/" + String.join("/", components);
    }

    private Path toHost(String path) {
        Optional<HostBinds.Located> bound = binds.locate(path);
        if (bound.isPresent()) {
            return bound.get().path();
        }
        int slashes = 0;
        while (slashes < path.length() && path.charAt(slashes) == '/') {
            slashes++;
        }
        String rel = path.substring(slashes);
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** Account files that cannot be read or have a malformed line: the message names the file and the line. */
    public static final class AccountFileException extends Exception {
        private static final long serialVersionUID = 1L;

        AccountFileException(String message) {
            super(message);
        }
    }

    /**
     * This view, when its account files were read without a problem; else the first problem, naming the file and
     * line. Lenient readers (the agent on its own host, where glibc skips malformed lines too) do not call this.
     */
    public HostView requireAccounts() throws AccountFileException {
        if (!accounts.problems().isEmpty()) {
            throw new AccountFileException(accounts.problems().get(0));
        }
        return this;
    }

    /** The mount flags of a mountinfo file; none when it cannot be read. */
    private static Map<String, MountFlags> readMountInfo(Path mountInfo) {
        try {
            return parseMountInfo(Files.readAllBytes(mountInfo));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Mount point to flags; a mount point mounted over several times takes the flags of the last (top) mount. */
    private static Map<String, MountFlags> parseMountInfo(byte[] mountInfo) {
        Map<String, MountFlags> result = new HashMap<>();
        for (String line : new String(mountInfo, StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 5) {
                List<String> options = List.of(f[5].split(","));
                int separator = List.of(f).indexOf("-");
                String fsType = separator > 5 && separator + 1 < f.length ? f[separator + 1] : "";
                result.put(unescape(f[4]), new MountFlags(options.contains("ro"), options.contains("noexec"),
                        fsType));
            }
        }
        return result;
    }

    static String unescape(String mountPoint) {
        return mountPoint.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
