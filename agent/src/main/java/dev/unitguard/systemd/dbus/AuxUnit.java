package dev.unitguard.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** An auxiliary unit of {@code StartTransientUnit}: {@code (sa(sv))}. unitguard sends none. */
public final class AuxUnit extends Struct {
    @Position(0) public final String name;
    @Position(1) public final List<NamedValue> properties;

    public AuxUnit(String name, List<NamedValue> properties) {
        this.name = name;
        this.properties = properties;
    }
}
