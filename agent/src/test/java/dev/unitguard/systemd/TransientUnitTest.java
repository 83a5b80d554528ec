package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.systemd.dbus.ExecCommand;
import dev.unitguard.systemd.dbus.NamedValue;
import java.util.List;
import org.freedesktop.dbus.types.UInt64;
import org.junit.jupiter.api.Test;

class TransientUnitTest {

    @Test
    void build_commonProperties_keptInOrderWithSignatures() {
        TransientUnit unit = TransientUnit.service("probe.service").execStart("/bin/sh", "-c", "true")
                .user("app").protectSystem("strict").readWritePaths("/srv/a", "/srv/b")
                .booleanProperty("PrivateTmp", true).build();

        assertEquals(List.of(
                new TransientProperty("ExecStart", "a(sasb)",
                        List.of(new TransientProperty.Command("/bin/sh", List.of("/bin/sh", "-c", "true"), false))),
                new TransientProperty("User", "s", "app"),
                new TransientProperty("ProtectSystem", "s", "strict"),
                new TransientProperty("ReadWritePaths", "as", List.of("/srv/a", "/srv/b")),
                new TransientProperty("PrivateTmp", "b", true)), unit.properties());
    }

    @Test
    void service_invalidName_rejectedNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> TransientUnit.service("probe"));

        assertEquals("transient unit name must be a valid service name, got probe", e.getMessage());
    }

    @Test
    void execStart_relativeProgram_rejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TransientUnit.service("probe.service").execStart("true"));

        assertEquals("ExecStart: the program must be an absolute path, got true", e.getMessage());
    }

    @Test
    void protectSystem_unknownMode_rejectedListingModes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> TransientUnit.service("probe.service").protectSystem("strikt"));

        assertEquals("ProtectSystem: expected one of [false, full, no, strict, true, yes], got strikt", e.getMessage());
    }

    @Test
    void build_noExecStart_rejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> TransientUnit.service("probe.service").build());

        assertEquals("transient unit probe.service: ExecStart is required", e.getMessage());
    }

    @Test
    void encode_addRef_appendedAsBoolean() {
        TransientUnit unit = TransientUnit.service("probe.service").execStart("/bin/true").build();

        List<NamedValue> encoded = TransientEncoding.encode(unit, true);

        assertEquals(List.of("ExecStart", "AddRef"), encoded.stream().map(v -> v.name).toList());
        assertEquals("a(sasb)", encoded.get(0).value.getSig());
        ExecCommand command = (ExecCommand) ((List<?>) encoded.get(0).value.getValue()).get(0);
        assertEquals("/bin/true", command.path);
        assertEquals(List.of("/bin/true"), command.argv);
        assertEquals("b", encoded.get(1).value.getSig());
        assertEquals(true, encoded.get(1).value.getValue());
    }

    @Test
    void encode_numberProperty_unsigned64() {
        TransientUnit unit = TransientUnit.service("probe.service").execStart("/bin/true")
                .numberProperty("TimeoutStopUSec", 5_000_000L).build();

        NamedValue timeout = TransientEncoding.encode(unit, false).get(1);

        assertEquals("t", timeout.value.getSig());
        assertEquals(new UInt64(5_000_000L), timeout.value.getValue());
    }

    @Test
    void property_setTwice_lastWins() {
        TransientUnit unit = TransientUnit.service("probe.service").execStart("/bin/true").user("a").user("b").build();

        assertEquals("b", unit.property("User"));
    }
}
