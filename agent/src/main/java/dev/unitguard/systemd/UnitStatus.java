package dev.unitguard.systemd;

/** One loaded unit as {@code ListUnits} reports it; built only from its D-Bus struct, whose strings are never null. */
public record UnitStatus(String name, String description, String loadState, String activeState, String subState) {
}
