package dev.unitguard.exposure;

import java.util.LinkedHashSet;
import java.util.OptionalInt;

/**
 * SystemCallFilter= as systemd 252's {@code config_parse_syscall_filter()} and {@code seccomp_parse_syscall_filter()}:
 * the first assignment decides allow list (plain) or deny list ({@code ~}); an allow list starts with
 * {@code @default}; later assignments add to or remove from the list; an empty assignment resets it. Names libseccomp
 * does not know and unknown groups are ignored.
 */
final class SecuritySyscallFilter {

    private SecuritySyscallFilter() {
    }

    static void apply(SecurityInfo info, String value, String unitName) {
        if (value.isEmpty()) {
            info.systemCallFilter = null;
            info.systemCallFilterAllowList = false;
            return;
        }
        boolean invert = value.startsWith("~");
        if (info.systemCallFilter == null) {
            info.systemCallFilter = new LinkedHashSet<>();
            info.systemCallFilterAllowList = !invert;
            if (!invert) {
                add(info, "@default", true);
            }
        }
        for (String word : SecurityUnitNames.plainWords(invert ? value.substring(1) : value)) {
            int colon = word.indexOf(':');
            if (colon >= 0 && !invert) {
                continue; // "Allow-listed system calls cannot take error number, ignoring"
            }
            String name = colon >= 0 ? word.substring(0, colon) : word;
            add(info, name, !invert == info.systemCallFilterAllowList);
        }
    }

    private static void add(SecurityInfo info, String name, boolean add) {
        SecurityTables tables = info.tables;
        if (name.startsWith("@")) {
            for (String member : tables.syscallGroup(name)) {
                add(info, member, add);
            }
            return;
        }
        OptionalInt number = tables.syscallNumber(name);
        if (number.isEmpty()) {
            return;
        }
        if (add) {
            info.systemCallFilter.add(name);
        } else {
            info.systemCallFilter.remove(name);
        }
    }

    /**
     * The first system call of {@code group} (nested groups included, in systemd's order) that exists on this
     * architecture and is in the filter when {@code allowList}, or missing from it otherwise; null when none is.
     */
    static String offender(SecurityInfo info, String group) {
        SecurityTables tables = info.tables;
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
            if (info.systemCallFilter.contains(member) == info.systemCallFilterAllowList) {
                return member;
            }
        }
        return null;
    }
}
