package dev.unitguard.unit;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * RestrictAddressFamilies= as systemd's {@code config_parse_address_families()} merges its assignments (the same in
 * 252, 257 and 262): the first assignment after a reset decides allow list (plain) or deny list ({@code ~}); later
 * ones add to the list or remove from it; {@code none} allows nothing; an empty assignment removes the restriction.
 * Unknown names are ignored; a value with unbalanced quotes is ignored whole. Read by the exposure score and the
 * sandbox model.
 *
 * @param allowList true when {@code families} are the only ones allowed; false when they are the ones denied
 * @param families  the address family numbers listed (kernel ABI)
 */
public record AddressFamilyFilter(boolean allowList, Set<Integer> families) {

    /** {@code none}: an allow list of nothing, which the next assignment replaces instead of extending. */
    private static final AddressFamilyFilter NONE = new AddressFamilyFilter(true, Set.of());

    public AddressFamilyFilter {
        families = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(families));
    }

    /** The restriction of a unit's {@code [Service]} assignments in order; empty when there is none. */
    public static Optional<AddressFamilyFilter> of(EffectiveUnit unit) {
        Optional<AddressFamilyFilter> filter = Optional.empty();
        for (Assignment a : unit.assignments("Service", "RestrictAddressFamilies")) {
            filter = apply(filter, a.value().strip());
        }
        return filter;
    }

    /**
     * The restriction after one more assignment. {@code none} gives an empty allow list that the next assignment
     * starts afresh, as systemd frees its set then.
     */
    public static Optional<AddressFamilyFilter> apply(Optional<AddressFamilyFilter> current, String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.equals("none")) {
            return Optional.of(NONE);
        }
        boolean invert = value.startsWith("~");
        List<String> words;
        try {
            words = Words.split(invert ? value.substring(1) : value);
        } catch (IllegalArgumentException e) {
            return current; // unbalanced quotes: systemd ignores the assignment
        }
        boolean fresh = current.isEmpty() || current.get() == NONE; // the very instance: systemd freed its set
        boolean allowList = fresh ? !invert : current.get().allowList();
        Set<Integer> families = new LinkedHashSet<>(fresh ? Set.of() : current.get().families());
        for (String word : words) {
            OptionalInt family = SystemdTables.get().addressFamily(word);
            if (family.isEmpty()) {
                continue;
            }
            if (!invert == allowList) {
                families.add(family.getAsInt());
            } else {
                families.remove(family.getAsInt());
            }
        }
        return Optional.of(new AddressFamilyFilter(allowList, families));
    }

    /** Whether a socket of family {@code name} ({@code AF_INET}) may be made; an unknown name never may. */
    public boolean allows(String name) {
        OptionalInt family = SystemdTables.get().addressFamily(name);
        return family.isPresent() && families.contains(family.getAsInt()) == allowList;
    }
}
