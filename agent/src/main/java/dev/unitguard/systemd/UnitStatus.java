package dev.unitguard.systemd;

import java.util.Objects;

/** One loaded unit as {@code ListUnits} reports it. */
public record UnitStatus(String name, String description, String loadState, String activeState, String subState) {

    public UnitStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(loadState, "loadState");
        Objects.requireNonNull(activeState, "activeState");
        Objects.requireNonNull(subState, "subState");
    }
}
