package dev.unitguard.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * sd_notify(3): datagrams to {@code $NOTIFY_SOCKET} ({@code READY=1}, {@code STATUS=...}, {@code WATCHDOG=1},
 * {@code STOPPING=1}). Without {@code NOTIFY_SOCKET} (not started by systemd as Type=notify) every call does nothing.
 * The JDK has no Unix datagram channel; jnr-unixsocket sends to a path or an abstract name ({@code @name}).
 * Sending blocks at most briefly: call it from a worker.
 */
public final class SdNotify implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SdNotify.class.getName());

    private final Optional<String> socket;
    private final Optional<Duration> watchdog;
    private UnixDatagramChannel channel;

    private SdNotify(Optional<String> socket, Optional<Duration> watchdog) {
        this.socket = socket;
        this.watchdog = watchdog;
    }

    /** From the environment systemd sets: {@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}. */
    public static SdNotify fromEnvironment(Map<String, String> env) {
        Optional<String> socket = Optional.ofNullable(env.get("NOTIFY_SOCKET")).filter(s -> !s.isEmpty());
        Optional<Duration> watchdog = Optional.ofNullable(env.get("WATCHDOG_USEC"))
                .filter(usec -> usec.matches("[1-9][0-9]*"))
                .filter(usec -> forThisProcess(env.get("WATCHDOG_PID")))
                .map(usec -> Duration.ofNanos(Long.parseLong(usec) * 1000));
        return new SdNotify(socket, watchdog);
    }

    private static boolean forThisProcess(String pid) {
        return pid == null || pid.equals(Long.toString(ProcessHandle.current().pid()));
    }

    /** True when systemd listens for notifications. */
    public boolean enabled() {
        return socket.isPresent();
    }

    /** The watchdog interval systemd expects pings within, when the unit has WatchdogSec=. */
    public Optional<Duration> watchdog() {
        return watchdog;
    }

    public void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    public void status(String status) {
        send("STATUS=" + status);
    }

    public void watchdogPing() {
        send("WATCHDOG=1");
    }

    /**
     * RELOADING=1 with the time it began (MONOTONIC_USEC, CLOCK_MONOTONIC like {@link System#nanoTime} on Linux),
     * as sd_notify(3) describes; READY=1 ends the reload.
     */
    public void reloading(String status) {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=" + status);
    }

    public void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + status);
    }

    /** Sends one notification; a failure is logged, never thrown (systemd may be gone during shutdown). */
    public synchronized void send(String message) {
        if (socket.isEmpty()) {
            return;
        }
        try {
            if (channel == null) {
                channel = UnixDatagramChannel.open();
            }
            channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), address(socket.get()));
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot notify systemd at " + socket.get() + ": " + e.getMessage());
        }
    }

    /** A path, or an abstract socket written {@code @name} (a leading NUL byte on the wire). */
    static UnixSocketAddress address(String socket) {
        return new UnixSocketAddress(socket.startsWith("@") ? "\0" + socket.substring(1) : socket);
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing left to notify.
            }
            channel = null;
        }
    }
}
