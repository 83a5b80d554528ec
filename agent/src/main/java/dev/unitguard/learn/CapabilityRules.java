package dev.unitguard.learn;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which capability a traced call used, as one table: the calls a rule looks at, the capability, and the condition
 * under which the call needed it (the kernel's check, as far as a trace line shows it). Only successful calls count:
 * a call that failed did not use a capability, and the service lived with the failure. A rule that cannot tell (a
 * {@code kill} of a process the trace does not know) does not fire: the learned set is a lower bound of what was used.
 */
final class CapabilityRules {

    /** What a rule sees: the call, its process (before the call changed it) and the trace's other processes. */
    interface Context {
        Optional<TracedProcess> process(long pid);

        /** The host's file at {@code path} (absolute, as the host sees it), following links; empty if missing. */
        Optional<FileInfo> stat(String path);
    }

    /** The condition of a rule: a note ("chown by root pid 812 (nginx)") when the call needed the capability. */
    interface Condition {
        Optional<String> test(StraceCall call, TracedProcess p, Context context);
    }

    /** One row of the table. */
    record Rule(String capability, Set<String> calls, Condition condition) {
    }

    private static final Pattern PORT = Pattern.compile("sin6?_port=htons\\((\\d+)\\)");
    private static final Pattern LIMIT = Pattern.compile("rlim_max=([^}]+)\\}");

    static final List<Rule> RULES = List.of(
            new Rule("CAP_SETUID", Set.of("setuid", "setreuid", "setresuid", "setfsuid"),
                    (c, p, x) -> p.isRoot() && c.args().stream().anyMatch(a -> !a.equals("-1") && !a.equals("0"))
                            ? note(c, p) : Optional.empty()),
            new Rule("CAP_SETGID", Set.of("setgroups"), CapabilityRules::note),
            new Rule("CAP_SETGID", Set.of("setgid", "setregid", "setresgid", "setfsgid"),
                    (c, p, x) -> p.isRoot() && c.args().stream().anyMatch(a -> !a.equals("-1")
                            && !a.equals(Integer.toString(p.gid))) ? note(c, p) : Optional.empty()),
            new Rule("CAP_CHOWN", Set.of("chown", "fchown", "lchown", "fchownat"),
                    (c, p, x) -> p.isRoot() ? note(c, p) : Optional.empty()),
            new Rule("CAP_FOWNER", Set.of("chmod", "fchmodat"), CapabilityRules::foreignChmod),
            new Rule("CAP_DAC_OVERRIDE", TraceMapping.OPENS, (c, p, x) -> byModeDenied(c, p, x, true)),
            new Rule("CAP_DAC_READ_SEARCH", TraceMapping.OPENS, (c, p, x) -> byModeDenied(c, p, x, false)),
            new Rule("CAP_NET_BIND_SERVICE", Set.of("bind"), CapabilityRules::privilegedPort),
            new Rule("CAP_SYS_CHROOT", Set.of("chroot"), CapabilityRules::note),
            new Rule("CAP_KILL", Set.of("kill", "tkill", "tgkill"), CapabilityRules::foreignSignal),
            new Rule("CAP_SYS_RESOURCE", Set.of("setrlimit", "prlimit64"), CapabilityRules::raisedHardLimit),
            new Rule("CAP_NET_RAW", Set.of("socket"), (c, p, x) -> c.arg(0).equals("AF_PACKET")
                    || c.arg(1).contains("SOCK_RAW") && (c.arg(0).equals("AF_INET") || c.arg(0).equals("AF_INET6"))
                    ? note(c, p) : Optional.empty()),
            new Rule("CAP_AUDIT_WRITE", Set.of("socket"), (c, p, x) -> c.arg(0).equals("AF_NETLINK")
                    && c.arg(2).equals("NETLINK_AUDIT") ? note(c, p) : Optional.empty()),
            new Rule("CAP_NET_ADMIN", Set.of("setsockopt"), (c, p, x) -> c.arg(2).equals("SO_MARK")
                    ? note(c, p) : Optional.empty()),
            new Rule("CAP_MKNOD", Set.of("mknod", "mknodat"), (c, p, x) -> c.args().stream()
                    .anyMatch(a -> a.contains("S_IFCHR") || a.contains("S_IFBLK")) ? note(c, p) : Optional.empty()),
            new Rule("CAP_SYS_NICE", Set.of("setpriority", "nice"), (c, p, x) -> c.arg(c.args().size() - 1)
                    .startsWith("-") ? note(c, p) : Optional.empty()),
            new Rule("CAP_SYS_ADMIN", Set.of("mount", "umount2", "pivot_root", "setns", "sethostname",
                    "setdomainname", "swapon", "swapoff"), CapabilityRules::note),
            new Rule("CAP_SYS_TIME", Set.of("settimeofday", "clock_settime", "stime"), CapabilityRules::note),
            new Rule("CAP_SYS_RAWIO", Set.of("iopl", "ioperm"), CapabilityRules::note),
            new Rule("CAP_SETPCAP", Set.of("capset"), CapabilityRules::note),
            new Rule("CAP_SETPCAP", Set.of("prctl"), (c, p, x) -> c.arg(0).equals("PR_CAPBSET_DROP")
                    ? note(c, p) : Optional.empty()));

    private CapabilityRules() {
    }

    /** The capabilities {@code call} (successful, by {@code p}) needed, each with its note. */
    static Map<String, String> needed(StraceCall call, TracedProcess p, Context context) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (!call.ok()) {
            return out;
        }
        for (Rule r : RULES) {
            if (r.calls().contains(call.name()) && !out.containsKey(r.capability())) {
                r.condition().test(call, p, context).ifPresent(n -> out.put(r.capability(), n));
            }
        }
        return out;
    }

    /** {@code traced: chown by root pid 812 (nginx)}. */
    static Optional<String> note(StraceCall c, TracedProcess p) {
        return Optional.of("traced: " + c.name() + " by " + p.who());
    }

    private static Optional<String> note(StraceCall c, TracedProcess p, Context x) {
        return note(c, p);
    }

    private static Optional<String> privilegedPort(StraceCall c, TracedProcess p, Context x) {
        Matcher m = PORT.matcher(c.arg(1));
        if (!m.find()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(m.group(1));
        return port > 0 && port < 1024 ? Optional.of("traced: bind to port " + port + " by " + p.who())
                : Optional.empty();
    }

    private static Optional<String> foreignSignal(StraceCall c, TracedProcess p, Context x) {
        if (!p.isRoot()) {
            return Optional.empty();
        }
        long target;
        try {
            target = Long.parseLong(c.name().equals("tgkill") ? c.arg(1) : c.arg(0));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (target <= 0) {
            return Optional.empty();
        }
        return x.process(target).filter(t -> t.uid != p.uid).map(t -> "traced: " + c.name() + " of pid " + target
                + " (uid " + t.uid + ") by " + p.who());
    }

    private static Optional<String> raisedHardLimit(StraceCall c, TracedProcess p, Context x) {
        boolean prlimit = c.name().equals("prlimit64");
        String resource = c.arg(prlimit ? 1 : 0);
        Matcher m = LIMIT.matcher(c.arg(prlimit ? 2 : 1));
        if (!m.find()) {
            return Optional.empty();
        }
        Matcher old = LIMIT.matcher(prlimit ? c.arg(3) : "");
        String before = old.find() ? old.group(1).strip() : p.hardLimits.get(resource);
        String now = m.group(1).strip();
        return before != null && raised(before, now) ? Optional.of("traced: " + c.name() + " raising the hard "
                + resource + " from " + before + " to " + now + " by " + p.who()) : Optional.empty();
    }

    /** Whether hard limit {@code now} is above {@code before} ({@code 1024}, {@code 8192*1024}, {@code RLIM64_INFINITY}). */
    static boolean raised(String before, String now) {
        if (before.equals("RLIM64_INFINITY") || before.equals("RLIM_INFINITY")) {
            return false;
        }
        if (now.equals("RLIM64_INFINITY") || now.equals("RLIM_INFINITY")) {
            return true;
        }
        try {
            return value(now) > value(before);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long value(String limit) {
        long v = 1;
        for (String factor : limit.split("\\*")) {
            v = Math.multiplyExact(v, Long.parseLong(factor.strip()));
        }
        return v;
    }

    private static Optional<String> foreignChmod(StraceCall c, TracedProcess p, Context x) {
        if (!p.isRoot()) {
            return Optional.empty();
        }
        Optional<String> path = c.name().equals("chmod") ? c.path(0) : c.path(1);
        return path.flatMap(f -> x.stat(p.absolute(f)).filter(info -> info.uid() != p.uid)
                .map(info -> "traced: " + c.name() + " of " + f + " (owner " + info.uid() + ") by " + p.who()));
    }

    /**
     * An open by a root process that the file's mode would refuse to another user with root's ids: writing or
     * executing needs {@code CAP_DAC_OVERRIDE} ({@code override}), reading a file or listing a directory
     * {@code CAP_DAC_READ_SEARCH}. The file is judged as the host has it when the trace is read (the project's
     * {@link Dac#permitsByMode}); the directories above it are not.
     */
    private static Optional<String> byModeDenied(StraceCall c, TracedProcess p, Context x, boolean override) {
        if (!p.isRoot()) {
            return Optional.empty();
        }
        Optional<TraceMapping.Open> open = TraceMapping.open(c, p);
        if (open.isEmpty() || open.get().access().isEmpty()) {
            return Optional.empty();
        }
        Set<Access> access = open.get().access();
        boolean writes = access.contains(Access.W);
        if (override != writes) {
            return Optional.empty();
        }
        Set<Access> checked = open.get().directory() ? Set.of(Access.R) : writes ? Set.of(Access.W) : access;
        Dac.Credentials ids = new Dac.Credentials(p.uid, p.gid, Set.of());
        return x.stat(open.get().path()).filter(info -> !Dac.permitsByMode(ids, info, checked))
                .map(info -> "traced: " + c.name() + " " + open.get().flags() + " of " + open.get().path() + " ("
                        + Dac.describe(info) + ") by " + p.who());
    }
}
