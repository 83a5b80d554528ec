package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdClientTest {

    @Test
    void listUnits_noBusAtAddress_busLostNamingCallAndAddress(@TempDir Path dir) {
        String address = "unix:path=" + dir.resolve("no-bus");
        try (SystemdClient client = SystemdClient.forAddress(address, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            var e = assertThrows(SystemdException.BusLost.class, client::listUnits);

            assertEquals("ListUnits()", e.call());
            assertEquals(address, e.address());
            assertTrue(e.getMessage().startsWith("ListUnits(): D-Bus connection to " + address + " lost: cannot "
                    + "connect: "), e.getMessage());
        }
    }

    @Test
    void loadedUnits_noBus_busLostThrownNotReportedPerUnit(@TempDir Path dir) {
        try (SystemdClient client = SystemdClient.forAddress("unix:path=" + dir.resolve("no-bus"))) {
            assertThrows(SystemdException.BusLost.class, () -> client.loadedUnits(java.util.List.of("a.service")));
        }
    }

    @Test
    void systemBus_defaultAddress_standardSocket() {
        try (SystemdClient client = SystemdClient.systemBus()) {
            String expected = System.getenv().getOrDefault("DBUS_SYSTEM_BUS_ADDRESS", SystemdClient.SYSTEM_BUS);
            assertEquals(expected, client.address());
        }
    }
}
