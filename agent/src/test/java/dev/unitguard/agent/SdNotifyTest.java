package dev.unitguard.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify datagrams received on a real Unix datagram socket, as systemd would receive them. */
class SdNotifyTest {

    @TempDir
    Path dir;

    private static String receive(UnixDatagramChannel channel) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        channel.receive(buffer);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }

    @Test
    void ready_notifySocketPath_sendsReadyAndStatus() throws Exception {
        Path socket = dir.resolve("notify");
        try (UnixDatagramChannel systemd = UnixDatagramChannel.open().bind(new UnixSocketAddress(socket.toFile()));
             SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString()))) {
            notify.ready("serving");
            notify.watchdogPing();
            notify.stopping("bye");

            assertEquals("READY=1\nSTATUS=serving", receive(systemd));
            assertEquals("WATCHDOG=1", receive(systemd));
            assertEquals("STOPPING=1\nSTATUS=bye", receive(systemd));
        }
    }

    @Test
    void ready_abstractSocket_delivered() throws Exception {
        String name = "unitguard-test-" + ProcessHandle.current().pid();
        try (UnixDatagramChannel systemd = UnixDatagramChannel.open().bind(SdNotify.address("@" + name));
             SdNotify notify = SdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
            notify.ready("up");

            assertEquals("READY=1\nSTATUS=up", receive(systemd));
        }
    }

    @Test
    void fromEnvironment_noNotifySocket_disabledAndSilent() {
        SdNotify notify = SdNotify.fromEnvironment(Map.of());
        assertFalse(notify.enabled());
        notify.ready("nobody listens");
    }

    @Test
    void fromEnvironment_watchdogForThisPid_interval() {
        String pid = Long.toString(ProcessHandle.current().pid());
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                SdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", pid)).watchdog());
        assertEquals(Optional.empty(),
                SdNotify.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1")).watchdog());
    }
}
