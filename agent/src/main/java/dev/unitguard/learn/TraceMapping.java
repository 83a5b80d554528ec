package dev.unitguard.learn;

import dev.unitguard.host.Access;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.SocketNeed;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the calls of a trace ({@link StraceCall}) into needs, each with a {@code traced: ...} note:
 * <ul>
 * <li>{@code open}, {@code openat}, {@code openat2}, {@code creat} that succeeded: the path with {@code r}, {@code w}
 * or {@code rw} from the access mode, a directory ({@code O_DIRECTORY}) {@code rx}, a device under {@code /dev} a
 * device; {@code O_CREAT} of a file that is gone when the trace is read (or with {@code O_EXCL}) also {@code w} on
 * its directory. {@code O_PATH} and paths relative to a descriptor other than {@code AT_FDCWD} are left out;</li>
 * <li>{@code mkdir} that succeeded or found the directory ({@code EEXIST}): the directory {@code rwx} (a service
 * makes sure of a directory to write in it: nginx's {@code /var/lib/nginx/body}), and a new one {@code w} on its
 * parent; but a directory found and then entered at once by the same process ({@code chdir}) is a walk through its
 * ancestors ({@code mkdir -p /var/log/x} tries {@code /var} and {@code /var/log} on its way): only {@code x}; {@code unlink}, {@code rmdir}, {@code rename}, {@code link}, {@code symlink}, {@code mknod}: {@code w} on
 * the directories they change;</li>
 * <li>{@code execve}: the program {@code x}; {@code chdir}, {@code chroot}: the directory {@code x};</li>
 * <li>{@code socket}: the address family; {@code bind} of a TCP socket or a UDP port, or of a Unix socket path:
 * {@code network.listen}; {@code connect} (also {@code EINPROGRESS}): {@code network.connect};</li>
 * <li>every call's name, whatever its result: {@code syscalls} (a filter kills on a call that merely failed);</li>
 * <li>capabilities by {@link CapabilityRules}.</li>
 * </ul>
 * Paths are as the process named them, made absolute with its working and root directories (a {@code chroot}ed
 * process' paths are under its root); the transient paths {@link Observer#kept} leaves out are left out here too.
 */
final class TraceMapping implements CapabilityRules.Context {

    static final Set<String> OPENS = Set.of("open", "openat", "openat2", "creat");
    /** The most distinct system call names kept (Linux has fewer than 500). */
    static final int MAX_SYSCALLS = 1024;
    static final int MAX_PROCESSES = 65_536;
    private static final Set<Access> R = EnumSet.of(Access.R);
    private static final Set<Access> W = EnumSet.of(Access.W);
    private static final Set<Access> X = EnumSet.of(Access.X);
    private static final Set<Access> RX = EnumSet.of(Access.R, Access.X);
    private static final Set<Access> RWX = EnumSet.allOf(Access.class);
    private static final Set<String> PARENT_CHANGES = Set.of("unlink", "unlinkat", "rmdir", "rename", "renameat",
            "renameat2", "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat");
    private static final Set<String> FAMILIES = Set.of("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET");
    private static final Pattern INET = Pattern.compile("sa_family=(AF_INET6?), sin6?_port=htons\\((\\d+)\\), .*"
            + "(?:inet_addr\\(\"([0-9.]+)\"\\)|inet_pton\\(AF_INET6, \"([0-9a-fA-F:.]+)\")");
    private static final Pattern UNIX = Pattern.compile("sa_family=AF_UNIX, sun_path=(@?\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern LIMITS = Pattern.compile("\\{rlim_cur=[^,]+, rlim_max=([^}]+)\\}");

    /** A successful open: the absolute path, the access it asked for, whether a directory, the flags as printed. */
    record Open(String path, Set<Access> access, boolean directory, String flags) {
    }

    private final Needs needs;
    private final Function<String, Optional<FileInfo>> stat;
    private final TracedProcess first;
    private final Map<Long, TracedProcess> processes = new HashMap<>();
    private final Set<String> syscalls = new TreeSet<>();
    private final Map<String, String> capabilities = new TreeMap<>();
    private long dropped;
    /** Per process, a directory its last call found by {@code mkdir} (EEXIST): granted unless the next call enters it. */
    private final Map<Long, Found> found = new HashMap<>();

    private record Found(String dir, StraceCall call, TracedProcess process) {
    }

    /**
     * A mapping into {@code needs}; the first process of each command starts with {@code uid}, {@code gid} and
     * {@code cwd}; files are judged as {@code host} has them.
     */
    TraceMapping(Needs needs, HostView host, int uid, int gid, String cwd) {
        this(needs, host::stat, uid, gid, cwd);
    }

    TraceMapping(Needs needs, Function<String, Optional<FileInfo>> stat, int uid, int gid, String cwd) {
        this.needs = needs;
        this.stat = stat;
        this.first = new TracedProcess(0, uid, gid, "?", cwd, "/");
        needs.capabilities(Set.of());
    }

    /** The names of the calls seen. */
    Set<String> syscalls() {
        return syscalls;
    }

    /** The capabilities used, each with the note of its first use. */
    Map<String, String> capabilities() {
        return capabilities;
    }

    long dropped() {
        return dropped;
    }

    @Override
    public Optional<TracedProcess> process(long pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    @Override
    public Optional<FileInfo> stat(String path) {
        return stat.apply(path);
    }

    /** Adds one call; {@code privileged} for a command systemd runs with full privileges ({@code +}): no capability. */
    void add(StraceCall call, boolean privileged) {
        if (syscalls.size() < MAX_SYSCALLS) {
            syscalls.add(call.name());
        }
        TracedProcess p = processes.get(call.pid());
        if (p == null) {
            if (processes.size() >= MAX_PROCESSES) {
                dropped++;
                return;
            }
            p = first.child(call.pid());
            processes.put(call.pid(), p);
        }
        if (!privileged) {
            CapabilityRules.needed(call, p, this).forEach(capabilities::putIfAbsent);
        }
        Found before = found.remove(call.pid());
        if (before != null && !enters(call, p, before.dir())) {
            path(before.dir(), RWX, before.call(), before.process());
        }
        effects(call, p);
    }

    /** Grants what the last calls of each process left pending; call once all calls are added. */
    void finish() {
        found.values().forEach(f -> path(f.dir(), RWX, f.call(), f.process()));
        found.clear();
    }

    private static boolean enters(StraceCall c, TracedProcess p, String dir) {
        return c.name().equals("chdir") && c.ok()
                && c.path(0).map(p::absolute).map(TraceMapping::normal).filter(dir::equals).isPresent();
    }

    private void effects(StraceCall c, TracedProcess p) {
        String name = c.name();
        if (name.equals("clone") || name.equals("clone3") || name.equals("fork") || name.equals("vfork")) {
            if (c.ok() && c.result() > 0) {
                TracedProcess child = processes.get(c.result());
                if ((child == null || !child.changed) && processes.size() < MAX_PROCESSES) {
                    processes.put(c.result(), p.child(c.result()));
                }
            }
        } else if (OPENS.contains(name)) {
            open(c, p).ifPresent(o -> opened(c, p, o));
        } else if (name.equals("execve") || name.equals("execveat")) {
            c.path(name.equals("execve") ? 0 : 1).filter(x -> c.ok()).map(p::absolute).map(TraceMapping::normal)
                    .ifPresent(exe -> {
                        path(exe, X, c, p);
                        p.name = exe.substring(exe.lastIndexOf('/') + 1);
                        p.changed = true;
                    });
        } else if (name.equals("chdir") || name.equals("chroot")) {
            c.path(0).filter(x -> c.ok()).map(p::absolute).map(TraceMapping::normal).ifPresent(dir -> {
                path(dir, X, c, p);
                if (name.equals("chdir")) {
                    p.cwd = p.root.equals("/") ? dir : dir.substring(p.root.length());
                } else {
                    p.root = dir;
                    p.cwd = "/";
                }
                p.changed = true;
            });
        } else if (name.equals("mkdir") || name.equals("mkdirat")) {
            Optional<String> dir = pathAt(c, name.equals("mkdir") ? -1 : 0, p);
            if (dir.isPresent() && c.ok()) {
                path(dir.get(), RWX, c, p);
                path(HostView.parent(dir.get()), W, c, p);
            } else if (dir.isPresent() && c.error().equals(Optional.of("EEXIST"))) {
                found.put(c.pid(), new Found(dir.get(), c, p));
            }
        } else if (PARENT_CHANGES.contains(name) && c.ok()) {
            parentChanges(c, p);
        } else if (name.startsWith("set") && (name.endsWith("uid") || name.endsWith("gid")) && c.ok()) {
            identity(c, p);
        } else if (name.equals("socket") && c.ok()) {
            p.socket((int) c.result(), new TracedProcess.Socket(c.arg(0), c.arg(1), c.arg(2)));
            if (FAMILIES.contains(c.arg(0))) {
                needs.family(c.arg(0));
            }
        } else if (name.equals("bind") && c.ok() || name.equals("connect") && (c.ok()
                || c.error().equals(Optional.of("EINPROGRESS")))) {
            socket(c, p);
        } else if ((name.equals("prlimit64") || name.equals("getrlimit") || name.equals("setrlimit")) && c.ok()) {
            limits(c, p);
        }
    }

    private void opened(StraceCall c, TracedProcess p, Open o) {
        if (o.path().startsWith("/dev/") && !o.directory()) {
            needs.device(o.path());
            return;
        }
        if (!o.access().isEmpty()) {
            needs.path(o.path(), o.access(), "traced: " + c.name() + " " + o.flags() + " by " + p.who());
        }
        if (o.flags().contains("O_CREAT") && !o.directory()
                && (o.flags().contains("O_EXCL") || stat.apply(o.path()).isEmpty())) {
            path(HostView.parent(o.path()), W, c, p);
        }
    }

    /** The successful open {@code c} names, or empty (failed, {@code O_PATH}, relative to a descriptor, transient). */
    static Optional<Open> open(StraceCall c, TracedProcess p) {
        if (!c.ok()) {
            return Optional.empty();
        }
        int at = switch (c.name()) {
            case "open", "creat" -> 0;
            case "openat", "openat2" -> 1;
            default -> -1;
        };
        if (at < 0) {
            return Optional.empty();
        }
        Optional<String> named = c.path(at);
        if (named.isEmpty() || at == 1 && !named.get().startsWith("/") && !c.arg(0).equals("AT_FDCWD")) {
            return Optional.empty();
        }
        String flags = c.name().equals("creat") ? "O_WRONLY|O_CREAT|O_TRUNC"
                : c.name().equals("openat2") ? field(c.arg(2), "flags") : c.arg(at + 1);
        if (flags.contains("O_PATH")) {
            return Optional.empty();
        }
        String path = normal(p.absolute(named.get()));
        if (!Observer.kept(path) || path.equals("/")) {
            return Optional.empty();
        }
        boolean directory = flags.contains("O_DIRECTORY");
        Set<Access> access = directory ? RX : flags.contains("O_RDWR") ? EnumSet.of(Access.R, Access.W)
                : flags.contains("O_WRONLY") ? W : R;
        String accessFlag = flags.contains("O_RDWR") ? "O_RDWR" : flags.contains("O_WRONLY") ? "O_WRONLY"
                : "O_RDONLY";
        return Optional.of(new Open(path, access, directory, accessFlag + (directory ? "|O_DIRECTORY" : "")
                + (flags.contains("O_CREAT") ? "|O_CREAT" : "")));
    }

    private static String field(String struct, String name) {
        Matcher m = Pattern.compile(name + "=([^,}]+)").matcher(struct);
        return m.find() ? m.group(1) : "";
    }

    private void parentChanges(StraceCall c, TracedProcess p) {
        // the path arguments: strings not relative to an unknown descriptor
        for (int i = 0; i < c.args().size(); i++) {
            int index = i;
            boolean afterDirFd = i > 0 && !c.arg(i - 1).equals("AT_FDCWD") && c.arg(i - 1).matches("\\d+");
            Optional<String> named = c.path(i);
            if (named.isEmpty() || afterDirFd && !named.get().startsWith("/")
                    || c.name().startsWith("symlink") && index == 0) {
                continue; // a symlink's target is text, not a path it changes
            }
            String path = normal(p.absolute(named.get()));
            if (Observer.kept(path)) {
                path(HostView.parent(path), W, c, p);
            }
        }
    }

    /** The path argument of a call, relative to {@code dirfdIndex} ({@code -1}: none, the first argument). */
    private static Optional<String> pathAt(StraceCall c, int dirfdIndex, TracedProcess p) {
        Optional<String> named = c.path(dirfdIndex + 1);
        if (named.isEmpty() || dirfdIndex >= 0 && !named.get().startsWith("/")
                && !c.arg(dirfdIndex).equals("AT_FDCWD")) {
            return Optional.empty();
        }
        String path = normal(p.absolute(named.get()));
        return Observer.kept(path) ? Optional.of(path) : Optional.empty();
    }

    private void identity(StraceCall c, TracedProcess p) {
        String name = c.name();
        int effective = switch (name) {
            case "setuid", "setgid", "setfsuid", "setfsgid" -> 0;
            case "setreuid", "setregid", "setresuid", "setresgid" -> 1;
            default -> -1;
        };
        if (effective < 0) {
            return;
        }
        String value = c.arg(effective);
        if (!value.matches("\\d{1,10}")) {
            return;
        }
        if (name.endsWith("uid")) {
            p.uid = Integer.parseInt(value);
        } else {
            p.gid = Integer.parseInt(value);
        }
        p.changed = true;
    }

    private void socket(StraceCall c, TracedProcess p) {
        boolean bind = c.name().equals("bind");
        String address = c.arg(1);
        String note = "traced: " + c.name() + " by " + p.who();
        Matcher inet = INET.matcher(address);
        if (inet.find()) {
            int port = Integer.parseInt(inet.group(2));
            String host = inet.group(3) != null ? inet.group(3) : inet.group(4);
            TracedProcess.Socket s = fd(c).map(p.sockets::get).orElse(null);
            boolean udp = s != null && s.type().contains("SOCK_DGRAM");
            if (port < 1 || port > 65_535) {
                return;
            }
            SocketNeed need = SocketNeed.inet(udp ? SocketNeed.Protocol.UDP : SocketNeed.Protocol.TCP, host, port);
            if (bind) {
                needs.listen(need, note);
            } else {
                needs.connect(need, note);
            }
            return;
        }
        Matcher unix = UNIX.matcher(address);
        if (unix.find()) {
            String raw = unix.group(1);
            boolean abstractName = raw.startsWith("@");
            Optional<String> path = StraceCall.unquote(abstractName ? raw.substring(1) : raw);
            if (path.isEmpty() || path.get().isEmpty()) {
                return;
            }
            String named = abstractName ? "@" + path.get() : normal(p.absolute(path.get()));
            if (bind) {
                needs.listen(SocketNeed.unix(named), note);
            } else {
                needs.connect(SocketNeed.unix(named), note);
            }
        }
    }

    private static Optional<Integer> fd(StraceCall c) {
        return c.arg(0).matches("\\d{1,9}") ? Optional.of(Integer.parseInt(c.arg(0))) : Optional.empty();
    }

    private void limits(StraceCall c, TracedProcess p) {
        boolean prlimit = c.name().equals("prlimit64");
        if (prlimit && !c.arg(0).equals("0")) {
            return; // another process' limits
        }
        String resource = c.arg(prlimit ? 1 : 0);
        for (String arg : prlimit ? new String[] {c.arg(3), c.arg(2)} : new String[] {c.arg(1)}) {
            Matcher m = LIMITS.matcher(arg);
            if (m.find() && p.hardLimits.size() < TracedProcess.MAX_KEPT) {
                p.hardLimits.put(resource, m.group(1).strip());
            }
        }
    }

    private void path(String path, Set<Access> access, StraceCall c, TracedProcess p) {
        if (Observer.kept(path) && !path.equals("/")) {
            needs.path(path, access, "traced: " + c.name() + " by " + p.who());
        }
    }

    /** {@code /a/./b/../c} as {@code /a/c}, without a trailing slash. */
    static String normal(String path) {
        return Path.of(path).normalize().toString();
    }
}
