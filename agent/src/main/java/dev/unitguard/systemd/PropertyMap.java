package dev.unitguard.systemd;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.Variant;

/** Typed reads from a {@code GetAll} reply; a missing or mistyped property is an error naming it. */
final class PropertyMap {

    private final String owner;
    private final Map<String, Variant<?>> values;

    PropertyMap(String owner, Map<String, Variant<?>> values) {
        this.owner = owner;
        this.values = values;
    }

    String string(String name) {
        return get(name, String.class);
    }

    boolean bool(String name) {
        return get(name, Boolean.class);
    }

    /** A {@code u}, {@code i}, {@code t} or {@code x} property as a long. */
    long number(String name) {
        return get(name, Number.class).longValue();
    }

    List<String> strings(String name) {
        List<?> list = get(name, List.class);
        return list.stream().map(item -> {
            if (!(item instanceof String s)) {
                throw new IllegalStateException(owner + ": property " + name + " is not a list of strings: " + list);
            }
            return s;
        }).toList();
    }

    /** An {@code ay} property as lowercase hex, for example InvocationID; empty when systemd sends no bytes. */
    String hex(String name) {
        return hex(owner, name, get(name, Object.class));
    }

    /** {@code raw}, the value of the {@code ay} property {@code name} of {@code owner}, as lowercase hex. */
    static String hex(String owner, String name, Object raw) {
        if (raw instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (raw instanceof List<?> list) {
            byte[] bytes = new byte[list.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = ((Number) list.get(i)).byteValue();
            }
            return HexFormat.of().formatHex(bytes);
        }
        throw new IllegalStateException(owner + ": property " + name + " is not a byte array: " + raw);
    }

    private <T> T get(String name, Class<T> type) {
        Variant<?> variant = values.get(name);
        if (variant == null) {
            throw new IllegalStateException(owner + ": property " + name + " missing");
        }
        Object value = variant.getValue();
        if (!type.isInstance(value)) {
            throw new IllegalStateException(owner + ": property " + name + " has type " + variant.getSig()
                    + ", value " + value);
        }
        return type.cast(value);
    }
}
