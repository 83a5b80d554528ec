package dev.unitguard.systemd;

import java.util.Objects;

/** One change made by enable or disable: {@code symlink} or {@code unlink}, the file, and the link's target. */
public record UnitFileChange(String type, String file, String destination) {

    public UnitFileChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(destination, "destination");
    }
}
