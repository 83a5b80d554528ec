package dev.unitguard.exposure;

import dev.unitguard.unit.SystemdTables;
import java.util.OptionalInt;

/** What SystemCallFilter= ({@link dev.unitguard.unit.SyscallFilter}) lets through of a group, for the score. */
final class SecuritySyscallFilter {

    private SecuritySyscallFilter() {
    }

    /**
     * The first system call of {@code group} (nested groups included, in systemd's order) that exists on this
     * architecture and is in the filter when {@code allowList}, or missing from it otherwise; null when none is.
     */
    static String offender(SecurityInfo info, String group) {
        SystemdTables tables = info.tables;
        for (String member : tables.syscallGroup(group)) {
            if (member.startsWith("@")) {
                String nested = offender(info, member);
                if (nested != null) {
                    return nested;
                }
                continue;
            }
            OptionalInt number = tables.syscallNumber(member);
            if (number.isEmpty() || number.getAsInt() < 0) {
                continue;
            }
            if (info.systemCallFilter.names().contains(member) == info.systemCallFilter.allowList()) {
                return member;
            }
        }
        return null;
    }
}
