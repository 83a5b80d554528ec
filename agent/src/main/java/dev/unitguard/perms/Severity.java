package dev.unitguard.perms;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How bad a finding is, from a remark to a way for any local user to become root. Ordered: compare with {@code >=}. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /**
     * Parses a lower- or upper-case name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Severity parse(String name) {
        for (Severity s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity \"" + name + "\" (use "
                + Arrays.stream(values()).map(Severity::toString).collect(Collectors.joining(", ")) + ")");
    }

    /** The lower-case name used in output: {@code high}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
