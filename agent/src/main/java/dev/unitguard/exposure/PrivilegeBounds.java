package dev.unitguard.exposure;

import dev.unitguard.unit.SystemdTables;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SyscallFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The most a unit's processes may use, as systemd 252 computes it from the unit's assignments in order: the capability
 * bounding set and the system calls its filter lets through. These two settings merge across assignments (a plain
 * {@code CapabilityBoundingSet=} line adds to an earlier one, {@code ~} alone resets to every capability, a plain
 * {@code SystemCallFilter=} line adds to an allow list or removes from a deny list), so whether a drop-in narrows
 * them can only be told from the whole unit, before and after: {@link #widenedIn}.
 *
 * @param capabilities    the bounding set's bits (capability.h numbering)
 * @param syscalls        the filter's list; empty when there is no filter (every system call passes)
 * @param syscallsAllowed true when {@code syscalls} is an allow list, false for a deny list
 */
public record PrivilegeBounds(long capabilities, Optional<Set<String>> syscalls, boolean syscallsAllowed) {

    public PrivilegeBounds {
        syscalls = syscalls.map(Set::copyOf);
    }

    /**
     * The bounds of {@code unit}: its capability and system-call settings, read as the systemd it was loaded for
     * reads them.
     *
     * @throws SecurityAssessmentException when a setting would make systemd refuse the unit
     */
    public static PrivilegeBounds of(EffectiveUnit unit) {
        SecurityInfo info = SecurityInfoReader.read(unit, SecurityProfile.of(unit.systemd()));
        Optional<SyscallFilter> filter = Optional.ofNullable(info.systemCallFilter);
        return new PrivilegeBounds(info.capabilityBoundingSet, filter.map(SyscallFilter::names),
                filter.map(SyscallFilter::allowList).orElse(false));
    }

    /** What {@code after} permits that these bounds did not, one line per setting; empty when nothing widened. */
    public List<String> widenedIn(PrivilegeBounds after) {
        List<String> widened = new ArrayList<>();
        long gained = after.capabilities & ~capabilities;
        if (gained != 0) {
            List<String> names = new ArrayList<>();
            for (int bit = 0; bit < 64; bit++) {
                if ((gained & (1L << bit)) != 0) {
                    names.add(SystemdTables.get().capabilityName(bit).toUpperCase(java.util.Locale.ROOT));
                }
            }
            widened.add("CapabilityBoundingSet= would gain " + String.join(" ", names.size() > 8
                    ? List.of(String.join(" ", names.subList(0, 8)), "and " + (names.size() - 8) + " more") : names));
        }
        Set<String> passing = newlyPassing(after);
        if (!passing.isEmpty()) {
            widened.add("SystemCallFilter= would let through " + (passing.size() > 8
                    ? String.join(" ", new ArrayList<>(passing).subList(0, 8)) + " and " + (passing.size() - 8)
                    + " more" : String.join(" ", passing)));
        }
        return widened;
    }

    /** The system calls {@code after} lets through and these bounds did not (a marker when it is all of them). */
    private Set<String> newlyPassing(PrivilegeBounds after) {
        if (syscalls.isEmpty()) {
            return Set.of();
        }
        Set<String> before = syscalls.get();
        if (after.syscalls.isEmpty()) {
            return Set.of("every system call (the filter is gone)");
        }
        Set<String> now = after.syscalls.get();
        Set<String> gained = new TreeSet<>();
        if (syscallsAllowed && after.syscallsAllowed) {
            now.stream().filter(s -> !before.contains(s)).forEach(gained::add);
        } else if (syscallsAllowed) {
            return Set.of("every system call not on its new deny list");
        } else if (after.syscallsAllowed) {
            now.stream().filter(before::contains).forEach(gained::add);
        } else {
            before.stream().filter(s -> !now.contains(s)).forEach(gained::add);
        }
        return gained;
    }
}
