package dev.unitguard.sandbox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a service needs to run: the paths and devices it must reach, and optionally the user and group it runs as
 * (by default the unit's {@code User=} and {@code Group=}).
 */
public record Requirements(Optional<String> user, Optional<String> group, List<PathRequirement> paths,
                           List<String> devices) {

    public Requirements {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        paths = List.copyOf(paths);
        devices = List.copyOf(devices);
    }

    /** No paths, no devices, the unit's own user: only the start-up is judged. */
    public static Requirements none() {
        return new Requirements(Optional.empty(), Optional.empty(), List.of(), List.of());
    }
}
