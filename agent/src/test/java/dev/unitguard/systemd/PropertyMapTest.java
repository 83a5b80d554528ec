package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;

class PropertyMapTest {

    private final PropertyMap map = new PropertyMap("app.service", Map.of(
            "ActiveState", new Variant<>("active"),
            "NRestarts", new Variant<>(new UInt32(3)),
            "ExecMainStatus", new Variant<>(226),
            "DropInPaths", new Variant<>(List.of("/etc/a.conf"), "as"),
            "InvocationID", new Variant<>(new byte[] {0x0a, (byte) 0xff}, "ay")));

    @Test
    void typedReads_matchingTypes_returnValues() {
        assertEquals("active", map.string("ActiveState"));
        assertEquals(3L, map.number("NRestarts"));
        assertEquals(226L, map.number("ExecMainStatus"));
        assertEquals(List.of("/etc/a.conf"), map.strings("DropInPaths"));
        assertEquals("0aff", map.hex("InvocationID"));
    }

    @Test
    void string_missingProperty_errorNamesUnitAndProperty() {
        var e = assertThrows(IllegalStateException.class, () -> map.string("SubState"));

        assertEquals("app.service: property SubState missing", e.getMessage());
    }

    @Test
    void string_wrongType_errorNamesSignature() {
        var e = assertThrows(IllegalStateException.class, () -> map.string("NRestarts"));

        assertEquals("app.service: property NRestarts has type u, value 3", e.getMessage());
    }
}
