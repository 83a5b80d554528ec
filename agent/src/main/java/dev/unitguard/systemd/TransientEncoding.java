package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.ExecCommand;
import dev.unitguard.systemd.dbus.NamedValue;
import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** Turns a {@link TransientUnit}'s plain values into the {@code a(sv)} that StartTransientUnit takes. */
final class TransientEncoding {

    private TransientEncoding() {
    }

    /** The unit's properties, plus {@code AddRef=yes} when the caller will read the unit after it stopped. */
    static List<NamedValue> encode(TransientUnit unit, boolean addRef) {
        List<NamedValue> encoded = new ArrayList<>();
        for (TransientProperty property : unit.properties()) {
            encoded.add(new NamedValue(property.name(), variant(property)));
        }
        if (addRef) {
            encoded.add(new NamedValue("AddRef", new Variant<>(true, "b")));
        }
        return encoded;
    }

    static Variant<?> variant(TransientProperty property) {
        return switch (property.signature()) {
            case "t" -> new Variant<>(new UInt64((Long) property.value()), "t");
            case "a(sasb)" -> new Variant<>(commands(property), "a(sasb)");
            default -> new Variant<>(property.value(), property.signature());
        };
    }

    private static List<ExecCommand> commands(TransientProperty property) {
        return ((List<?>) property.value()).stream()
                .map(TransientProperty.Command.class::cast)
                .map(c -> new ExecCommand(c.path(), c.argv(), c.ignoreFailure()))
                .toList();
    }
}
