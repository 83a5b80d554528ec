package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.BindPath;
import dev.unitguard.systemd.dbus.ExecCommand;
import dev.unitguard.systemd.dbus.NamedValue;
import dev.unitguard.systemd.dbus.StringPair;
import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/** Turns a {@link TransientUnit}'s plain values into the {@code a(sv)} that StartTransientUnit takes. */
final class TransientEncoding {

    /** {@code MS_REC} from {@code <sys/mount.h>}: a recursive bind (rbind). */
    private static final long MS_REC = 16384;

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
            case "u" -> new Variant<>(new UInt32((Long) property.value()), "u");
            case "a(sasb)" -> new Variant<>(commands(property), "a(sasb)");
            case "a(ss)" -> new Variant<>(list(property, TransientProperty.Pair.class).stream()
                    .map(p -> new StringPair(p.first(), p.second())).toList(), "a(ss)");
            case "a(ssbt)" -> new Variant<>(list(property, TransientProperty.Bind.class).stream()
                    .map(b -> new BindPath(b.source(), b.destination(), b.ignoreMissing(),
                            new UInt64(b.recursive() ? MS_REC : 0))).toList(), "a(ssbt)");
            default -> new Variant<>(property.value(), property.signature());
        };
    }

    private static <T> List<T> list(TransientProperty property, Class<T> type) {
        return ((List<?>) property.value()).stream().map(type::cast).toList();
    }

    private static List<ExecCommand> commands(TransientProperty property) {
        return ((List<?>) property.value()).stream()
                .map(TransientProperty.Command.class::cast)
                .map(c -> new ExecCommand(c.path(), c.argv(), c.ignoreFailure()))
                .toList();
    }
}
