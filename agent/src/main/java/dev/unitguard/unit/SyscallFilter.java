package dev.unitguard.unit;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SystemCallFilter= as systemd's {@code config_parse_syscall_filter()} and {@code seccomp_parse_syscall_filter()}
 * merge its assignments (the same in 252, 257 and 262): the first assignment decides allow list (plain) or deny list
 * ({@code ~}); an allow list starts with {@code @default}; later assignments add to or remove from the list; an empty
 * assignment resets it. Names libseccomp does not know and unknown groups are ignored. Read by the exposure score and
 * by the sandbox model.
 *
 * @param allowList true when {@code names} are the only calls let through; false when they are the calls killed
 * @param names     the system call names in the filter, groups expanded, in the order they were added
 */
public record SyscallFilter(boolean allowList, Set<String> names) {

    public SyscallFilter {
        names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /** The filter of a unit's {@code [Service]} assignments in order; empty when it has none (everything passes). */
    public static Optional<SyscallFilter> of(EffectiveUnit unit) {
        SystemdTables tables = SystemdTables.of(unit.systemd().modelled().model());
        Optional<SyscallFilter> filter = Optional.empty();
        for (Assignment a : unit.assignments("Service", "SystemCallFilter")) {
            filter = apply(filter, a.value().strip(), tables);
        }
        return filter;
    }

    /** The filters of a first assignment, by tables and value: units repeat a few (@system-service). Bounded. */
    private static final Map<List<Object>, Optional<SyscallFilter>> FIRST = new ConcurrentHashMap<>();
    private static final int MAX_FIRST = 1024;

    /** The filter after one more assignment of {@code value}. */
    public static Optional<SyscallFilter> apply(Optional<SyscallFilter> current, String value, SystemdTables tables) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (current.isEmpty()) {
            List<Object> key = List.of(tables, value);
            Optional<SyscallFilter> known = FIRST.get(key);
            if (known == null) {
                known = merge(current, value, tables);
                if (FIRST.size() >= MAX_FIRST) {
                    FIRST.clear();
                }
                FIRST.put(key, known);
            }
            return known;
        }
        return merge(current, value, tables);
    }

    private static Optional<SyscallFilter> merge(Optional<SyscallFilter> current, String value, SystemdTables tables) {
        boolean invert = value.startsWith("~");
        boolean allowList = current.map(SyscallFilter::allowList).orElse(!invert);
        Set<String> names = new LinkedHashSet<>(current.map(SyscallFilter::names).orElse(Set.of()));
        if (current.isEmpty() && !invert) {
            add(names, "@default", true, tables);
        }
        for (String word : Words.splitPlain(invert ? value.substring(1) : value)) {
            int colon = word.indexOf(':');
            if (colon >= 0 && !invert) {
                continue; // "Allow-listed system calls cannot take error number, ignoring"
            }
            add(names, colon >= 0 ? word.substring(0, colon) : word, !invert == allowList, tables);
        }
        return Optional.of(new SyscallFilter(allowList, names));
    }

    /** Whether the filter lets {@code syscall} through. */
    public boolean allows(String syscall) {
        return names.contains(syscall) == allowList;
    }

    private static void add(Set<String> names, String name, boolean add, SystemdTables tables) {
        if (name.startsWith("@")) {
            for (String member : tables.syscallGroup(name)) {
                add(names, member, add, tables);
            }
            return;
        }
        OptionalInt number = tables.syscallNumber(name);
        if (number.isEmpty()) {
            return;
        }
        if (add) {
            names.add(name);
        } else {
            names.remove(name);
        }
    }
}
