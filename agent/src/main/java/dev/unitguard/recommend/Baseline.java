package dev.unitguard.recommend;

import dev.unitguard.host.HostView;
import dev.unitguard.recommend.Recommendation.Rejected;
import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The strongest value of every directive the search covers, as far as the manifest and the unit's programs allow,
 * before the static check is asked: where the manifest states a need that a directive would break (a capability,
 * a system call, a socket), the directive is left out here with the need as the reason; where it states nothing
 * (network, system calls or capabilities unstated), the directive is left out as not judged.
 */
final class Baseline {

    /** The starting set, why each value is safe, and the directives left out with the reason. */
    record Result(DirectiveSet set, Map<String, String> why, List<Rejected> rejected) {
    }

    private DirectiveSet set = DirectiveSet.empty();
    private final Map<String, String> why = new TreeMap<>();
    private final List<Rejected> rejected = new ArrayList<>();

    static Result of(EffectiveUnit unit, HostView host, Requirements needs) {
        Baseline b = new Baseline();
        b.paths();
        b.kernel(needs);
        b.programs(new Executables(host, unit, needs));
        b.network(needs.network(), needs.syscalls());
        b.capabilities(needs.capabilities(), unit);
        b.syscalls(needs.syscalls(), unit);
        return new Result(b.set, b.why, b.rejected);
    }

    private void paths() {
        put("ProtectSystem", "strict", "every write the manifest needs is granted path by path below; the rest of "
                + "the file system is read-only");
        put("ReadWritePaths", List.of(""), "replaces the unit's own list: only the paths the manifest needs "
                + "written, and none that may be missing at start");
        put("ProtectHome", "yes", "no path the manifest needs is under /home, /root or /run/user");
        put("PrivateTmp", "yes", "no path the manifest needs is shared through /tmp or /var/tmp");
        put("DevicePolicy", "closed", "the manifest needs no device node but the pseudo devices");
        put("ProtectProc", "invisible", "the manifest needs no other account's processes in /proc");
        put("ProcSubset", "pid", "the manifest needs nothing in /proc but process directories");
        put("PrivateMounts", "yes", "the service's mounts need not reach the host");
        put("UMask", "0077", "no requirement says another account reads the files the service creates");
        put("KeyringMode", "private", "the service shares no kernel keys with other services");
        put("RemoveIPC", "yes", "the service keeps no System V or POSIX IPC objects past its stop");
        put("RestrictRealtime", "yes", "the manifest states no real-time scheduling");
        put("RestrictSUIDSGID", "yes", "the service need not create set-user-ID or set-group-ID files");
        put("LockPersonality", "yes", "the service need not change its execution domain");
        put("ProtectControlGroups", "yes", "no path the manifest needs is under /sys/fs/cgroup for writing");
    }

    private void kernel(Requirements needs) {
        Set<String> caps = needs.capabilities().orElse(Set.of());
        Set<String> calls = needs.syscalls().orElse(Set.of());
        // systemd drops these capabilities from the bounding set with the setting (CapabilitySet.impliedDrops)
        guarded("PrivateDevices", "the manifest needs no device node but the pseudo devices",
                stated(caps, "CAP_MKNOD", "CAP_SYS_RAWIO"));
        guarded("ProtectKernelTunables", "no path the manifest needs under /proc/sys or /sys is written", null);
        guarded("ProtectKernelModules", "the service loads no kernel module",
                caps.contains("CAP_SYS_MODULE") ? "capabilities states CAP_SYS_MODULE" : called(calls,
                        "init_module", "finit_module", "delete_module"));
        guarded("ProtectKernelLogs", "the service reads no kernel log",
                caps.contains("CAP_SYSLOG") ? "capabilities states CAP_SYSLOG" : called(calls, "syslog"));
        guarded("ProtectClock", "the service does not set the clock",
                stated(caps, "CAP_SYS_TIME", "CAP_WAKE_ALARM") != null ? stated(caps, "CAP_SYS_TIME", "CAP_WAKE_ALARM")
                        : called(calls, "clock_settime", "settimeofday", "clock_adjtime", "adjtimex"));
        guarded("ProtectHostname", "the service does not set the host name", called(calls, "sethostname",
                "setdomainname"));
        guarded("RestrictNamespaces", "the service creates no namespaces", called(calls, "unshare", "setns"));
    }

    private void programs(Executables programs) {
        guarded("NoNewPrivileges", "no program the service runs gains privileges by a set-user-ID bit",
                programs.setuid().map(p -> p + " is set-user-ID or set-group-ID").orElse(null));
        guarded("MemoryDenyWriteExecute", "no program the service runs compiles machine code at run time",
                programs.jit().map(p -> p + " is a just-in-time compiler").orElse(null));
        Optional<String> foreign = programs.foreign();
        if (foreign.isPresent()) {
            rejected.add(new Rejected("SystemCallArchitectures", "native", foreign.get()
                    + " is built for another architecture"));
        } else {
            put("SystemCallArchitectures", "native", "every program the service runs is built for this machine ("
                    + programs.paths().size() + " checked)");
        }
    }

    private void network(Optional<NetworkNeeds> stated, Optional<Set<String>> calls) {
        if (stated.isEmpty()) {
            for (String key : List.of("RestrictAddressFamilies", "PrivateNetwork", "IPAddressDeny")) {
                rejected.add(new Rejected(key, key.equals("RestrictAddressFamilies") ? "none" : key.equals(
                        "PrivateNetwork") ? "yes" : "any", "the manifest states no network needs (not judged)"));
            }
            return;
        }
        NetworkNeeds net = stated.get();
        Set<String> families = net.allFamilies();
        put("RestrictAddressFamilies", families.isEmpty() ? List.of("", "none") : List.of("",
                String.join(" ", families)), families.isEmpty() ? "the service makes no sockets"
                : "the address families of the manifest's sockets and families: " + String.join(" ", families));
        boolean abstractSocket = all(net).stream().anyMatch(s -> s.address().startsWith("@"));
        if (!net.usesNetwork() && !abstractSocket) {
            put("PrivateNetwork", "yes", "the manifest states no socket but Unix sockets on the file system");
        } else {
            rejected.add(new Rejected("PrivateNetwork", "yes", net.usesNetwork() ? "would cut off "
                    + all(net).stream().filter(s -> s.protocol() != SocketNeed.Protocol.UNIX).findFirst()
                    .map(SocketNeed::toString).orElse(String.join(" ", families)) : "abstract Unix sockets are per "
                    + "network namespace"));
        }
        List<String> allow = new ArrayList<>();
        Optional<SocketNeed> open = net.listen().stream().filter(s -> s.protocol() != SocketNeed.Protocol.UNIX
                && !loopback(s.address())).findFirst();
        if (open.isPresent()) {
            rejected.add(new Rejected("IPAddressDeny", "any", "clients of " + open.get() + " may come from any "
                    + "address"));
        } else {
            boolean local = all(net).stream().anyMatch(s -> s.protocol() != SocketNeed.Protocol.UNIX);
            if (local) {
                allow.add("localhost");
            }
            net.connect().stream().filter(s -> s.protocol() != SocketNeed.Protocol.UNIX && !loopback(s.address()))
                    .map(SocketNeed::address).sorted().distinct().forEach(allow::add);
            put("IPAddressDeny", "any", allow.isEmpty() ? "the service uses no IP socket"
                    : "the service talks IP only with " + String.join(" ", allow));
            if (!allow.isEmpty()) {
                put("IPAddressAllow", List.of("", String.join(" ", allow)), "the addresses of the manifest's sockets");
            }
        }
    }

    private void capabilities(Optional<Set<String>> stated, EffectiveUnit unit) {
        if (stated.isEmpty()) {
            rejected.add(new Rejected("CapabilityBoundingSet", "", "the manifest states no capabilities (not "
                    + "judged)"));
            return;
        }
        Set<String> caps = new java.util.TreeSet<>(stated.get());
        unit.words("Service", "AmbientCapabilities").stream().filter(c -> c.startsWith("CAP_")).forEach(caps::add);
        put("CapabilityBoundingSet", caps.isEmpty() ? List.of("") : List.of("", String.join(" ", caps)),
                caps.isEmpty() ? "the manifest states no capability" : "the capabilities the manifest states (and "
                        + "AmbientCapabilities=): " + String.join(" ", caps));
    }

    private void syscalls(Optional<Set<String>> stated, EffectiveUnit unit) {
        if (stated.isEmpty()) {
            rejected.add(new Rejected("SystemCallFilter", "@system-service", "the manifest states no system calls "
                    + "(not judged): learn them in trace mode"));
            return;
        }
        SyscallCover filter = SyscallCover.cover(stated.get(), SystemdTables.of(unit.systemd()));
        put("SystemCallFilter", filter.values(), filter.why());
        rejected.addAll(filter.rejected());
    }

    private static List<SocketNeed> all(NetworkNeeds net) {
        List<SocketNeed> all = new ArrayList<>(net.listen());
        all.addAll(net.connect());
        return all;
    }

    static boolean loopback(String address) {
        return address.startsWith("127.") || address.equals("::1");
    }

    private static String called(Set<String> calls, String... names) {
        for (String n : names) {
            if (calls.contains(n)) {
                return "syscalls states " + n;
            }
        }
        return null;
    }

    /** Sets {@code key=yes} unless {@code breaks} names the need it would break. */
    /** "capabilities states CAP_X" for the first of {@code dropped} stated, else null. */
    private static String stated(Set<String> caps, String... dropped) {
        for (String c : dropped) {
            if (caps.contains(c)) {
                return "capabilities states " + c;
            }
        }
        return null;
    }

    private void guarded(String key, String reason, String breaks) {
        if (breaks == null) {
            put(key, "yes", reason);
        } else {
            rejected.add(new Rejected(key, "yes", breaks));
        }
    }

    private void put(String key, String value, String reason) {
        put(key, List.of(value), reason);
    }

    private void put(String key, List<String> values, String reason) {
        set = set.with(key, values);
        why.put(key, reason);
    }
}
