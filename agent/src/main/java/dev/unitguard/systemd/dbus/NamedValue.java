package dev.unitguard.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.Variant;

/** A property of a transient unit: {@code (sv)}. */
public final class NamedValue extends Struct {
    @Position(0) public final String name;
    @Position(1) public final Variant<?> value;

    public NamedValue(String name, Variant<?> value) {
        this.name = name;
        this.value = value;
    }
}
