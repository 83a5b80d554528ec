package dev.unitguard.sandbox;

import dev.unitguard.host.Access;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A path the service needs, with the access it needs; {@code secret} paths are never printed with content.
 * {@code learned} says how the need was seen when the manifest was learned ({@code open for reading by pid 812
 * (redis-server)}); empty when written by hand.
 */
public record PathRequirement(String path, Set<Access> access, boolean secret, Optional<String> learned) {

    public PathRequirement {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must be absolute: " + path);
        }
        if (access == null || access.isEmpty()) {
            throw new IllegalArgumentException("access must not be empty for " + path);
        }
        access = Set.copyOf(EnumSet.copyOf(access));
        Objects.requireNonNull(learned, "learned");
    }

    public PathRequirement(String path, Set<Access> access, boolean secret) {
        this(path, access, secret, Optional.empty());
    }
}
