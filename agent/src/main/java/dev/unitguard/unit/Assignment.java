package dev.unitguard.unit;

import java.util.Objects;

/**
 * One {@code Key=Value} line of the effective configuration, as written (continuations joined, specifiers not yet
 * resolved), with the file and line it came from.
 */
public record Assignment(String section, String key, String value, Location location) {

    public Assignment {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(location, "location");
    }

    /** True for {@code Key=} with nothing after it, which resets a list or a setting to its default. */
    public boolean isReset() {
        return value.isEmpty();
    }
}
