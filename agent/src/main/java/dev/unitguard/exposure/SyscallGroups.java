package dev.unitguard.exposure;

import dev.unitguard.unit.SystemdVersion;
import java.util.Set;
import java.util.TreeSet;

/**
 * The system call groups of a supported release ({@code systemd-analyze syscall-filter}), read from the same
 * generated tables as the exposure score ({@link SecurityTables}), with nested groups expanded.
 */
public final class SyscallGroups {

    private final SecurityTables tables;

    private SyscallGroups(SecurityTables tables) {
        this.tables = tables;
    }

    /** The groups of {@code version}. */
    public static SyscallGroups of(SystemdVersion version) {
        return new SyscallGroups(SecurityTables.of(version));
    }

    /** True when the release knows group {@code name} ({@code @system-service}). */
    public boolean isGroup(String name) {
        return tables.isSyscallGroup(name);
    }

    /** Every system call of a group, nested groups expanded, sorted; empty when the group is unknown. */
    public Set<String> members(String group) {
        Set<String> out = new TreeSet<>();
        expand(group, out, new TreeSet<>());
        return out;
    }

    private void expand(String group, Set<String> out, Set<String> seen) {
        if (!seen.add(group)) {
            return;
        }
        for (String member : tables.syscallGroup(group)) {
            if (member.startsWith("@")) {
                expand(member, out, seen);
            } else {
                out.add(member);
            }
        }
    }
}
