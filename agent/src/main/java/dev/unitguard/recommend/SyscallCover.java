package dev.unitguard.recommend;

import dev.unitguard.recommend.Recommendation.Rejected;
import dev.unitguard.unit.SystemdTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code SystemCallFilter=} allow list for the system calls a manifest states: systemd's conventional
 * {@code @system-service} group plus, by name, each stated call it does not hold (a whole group would allow more than
 * stated), then {@code ~@privileged} and {@code ~@resources} (systemd.exec(5)'s own advice) for each of the two that
 * holds no stated call. The groups are the release's ({@code systemd-analyze syscall-filter}).
 */
record SyscallCover(List<String> values, String why, List<Rejected> rejected) {

    static final String BASE = "@system-service";
    private static final List<String> DENIED = List.of("@privileged", "@resources");

    static SyscallCover cover(Set<String> stated, SystemdTables groups) {
        Set<String> allowed = new TreeSet<>(groups.expand(BASE));
        allowed.addAll(groups.expand("@default"));
        Set<String> known = new TreeSet<>(groups.expand("@known"));
        List<Rejected> rejected = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (String call : new TreeSet<>(stated)) {
            if (allowed.contains(call)) {
                continue;
            }
            if (!known.isEmpty() && !known.contains(call)) {
                rejected.add(new Rejected("SystemCallFilter", call, "systemd does not know this system call "
                        + "(it would ignore it)"));
            } else {
                extra.add(call);
            }
        }
        List<String> deny = new ArrayList<>();
        for (String group : DENIED) {
            Set<String> members = new TreeSet<>(groups.expand(group));
            String needed = stated.stream().filter(members::contains).sorted().findFirst().orElse(null);
            if (needed == null) {
                deny.add(group);
            } else {
                rejected.add(new Rejected("SystemCallFilter", "~" + group, "syscalls states " + needed + " (in "
                        + group + ")"));
            }
        }
        List<String> values = new ArrayList<>(List.of("", BASE + (extra.isEmpty() ? "" : " " + String.join(" ",
                extra))));
        if (!deny.isEmpty()) {
            values.add("~" + String.join(" ", deny));
        }
        String why = "allows every system call the manifest states (" + stated.size() + "): " + BASE
                + (extra.isEmpty() ? "" : " and " + String.join(" ", extra) + " by name")
                + (deny.isEmpty() ? "" : "; none of them is in " + String.join(" or ", deny));
        return new SyscallCover(values, why, rejected);
    }
}
