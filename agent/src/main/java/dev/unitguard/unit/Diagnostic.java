package dev.unitguard.unit;

import java.util.Objects;

/** A problem found in a unit file, always with the place it was found: {@code app.service:12: unknown section [Servce]}. */
public record Diagnostic(Location location, String message) {

    public Diagnostic {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
