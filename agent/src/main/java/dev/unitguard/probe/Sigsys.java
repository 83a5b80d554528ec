package dev.unitguard.probe;

import dev.unitguard.unit.SystemdTables;
import dev.unitguard.unit.SystemdVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A death by SIGSYS explained: the system call seccomp stopped (from the kernel's audit record of it, type 1326:
 * {@code audit: type=1326 ... pid=812 comm="redis-server" exe="/usr/bin/redis-server" sig=31 arch=c000003e
 * syscall=41 ...}, which the kernel logs for every seccomp kill, with or without auditd) and the smallest
 * SystemCallFilter= group of the unit's systemd release that holds it. Seen in the lab: systemd itself only logs
 * {@code status=31/SYS}.
 *
 * @param syscall the call's name in libseccomp's table of the release, or {@code syscall NNN} when it has none
 * @param number  the call's number on the record's architecture
 * @param group   the group to allow ({@code @network-io}); empty when no group but {@code @known} holds it
 * @param message one line for the user
 */
public record Sigsys(String syscall, int number, Optional<String> group, String message) {

    /** The audit architecture numbers of the architectures the tables are generated for. */
    private static final Map<String, String> ARCHITECTURES = Map.of("c000003e", "x86_64", "c00000b7", "aarch64");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    /**
     * The last SIGSYS record of {@code records} for the process {@code pid} (when known) or, when no record names
     * that pid (the service ran in another PID namespace), for the program {@code exe} (the record's {@code exe}
     * is the program after links, {@code comm} its name as started, cut to 15 characters); with neither, the last
     * SIGSYS record of all; empty when there is none.
     */
    public static Optional<Sigsys> explain(List<String> records, SystemdVersion version, OptionalLong pid,
                                           Optional<String> exe) {
        Map<String, String> found = null;
        Map<String, String> byExe = null;
        for (String record : records) {
            Map<String, String> fields = fields(record);
            if (!"31".equals(fields.get("sig")) || !fields.containsKey("syscall")) {
                continue;
            }
            if (pid.isPresent() && Long.toString(pid.getAsLong()).equals(fields.get("pid"))) {
                found = fields;
            } else if (exe.map(e -> runs(fields, e)).orElse(pid.isEmpty())) {
                byExe = fields;
            }
        }
        Map<String, String> chosen = found != null ? found : byExe;
        if (chosen == null) {
            return Optional.empty();
        }
        int number;
        try {
            number = Integer.parseInt(chosen.get("syscall"));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(of(number, chosen.getOrDefault("arch", ""), chosen.getOrDefault("exe", "?"), version));
    }

    /** The explanation of call {@code number} of audit architecture {@code arch} killing {@code exe}. */
    static Sigsys of(int number, String arch, String exe, SystemdVersion version) {
        String architecture = ARCHITECTURES.get(arch.toLowerCase(java.util.Locale.ROOT));
        SystemdTables tables = SystemdTables.of(version.modelled().model());
        Optional<String> name = SystemdTables.nativeArchitecture().equals(architecture)
                ? tables.syscallName(number) : Optional.empty();
        String call = name.orElse("syscall " + number);
        Optional<String> group = name.flatMap(n -> tables.groupsWith(n).stream()
                .filter(g -> !g.equals("@known")).findFirst());
        String message = exe + " was killed by SIGSYS (status=31/SYS): SystemCallFilter= does not allow the system "
                + "call " + call + (name.isPresent() ? " (" + number + ")" : architecture == null
                ? " of audit architecture " + arch : " of " + architecture)
                + group.map(g -> "; " + g + " allows it").orElse(name.isPresent()
                ? "; no group but @known holds it: allow it by name" : "");
        return new Sigsys(call, number, group, message);
    }

    private static boolean runs(Map<String, String> fields, String exe) {
        String name = exe.substring(exe.lastIndexOf('/') + 1);
        return exe.equals(fields.get("exe")) || name.substring(0, Math.min(15, name.length())).equals(fields.get("comm"));
    }

    /** The {@code key=value} fields of an audit record, quotes removed. */
    static Map<String, String> fields(String record) {
        Map<String, String> fields = new TreeMap<>();
        Matcher m = FIELD.matcher(record);
        while (m.find()) {
            String value = m.group(2);
            fields.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
        }
        return fields;
    }
}
