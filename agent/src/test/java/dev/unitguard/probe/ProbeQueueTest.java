package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.systemd.SystemdClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeQueueTest {

    @TempDir
    Path dir;

    @Test
    void take_secondProbeOfOneUnit_waitsThenIsRefusedNamingWhy() throws Exception {
        try (SystemdClient client = SystemdClient.forAddress("unix:path=" + dir.resolve("no-bus"))) {
            ProbeQueue.Turn first = ProbeQueue.take("queue-a.service", client, Duration.ofSeconds(1));
            ProbeException e = CompletableFuture.supplyAsync(() -> assertThrows(ProbeException.class,
                    () -> ProbeQueue.take("queue-a.service", client, Duration.ofMillis(200))))
                    .get(5, TimeUnit.SECONDS);
            assertEquals("cannot probe queue-a.service: another probe of it in this process is still running after "
                    + "200 ms (probes of one unit run one at a time); try again later", e.getMessage());
            ProbeQueue.take("queue-b.service", client, Duration.ofMillis(200)).close();

            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    ProbeQueue.take("queue-a.service", client, Duration.ofSeconds(5)).close();
                } catch (ProbeException x) {
                    throw new IllegalStateException(x);
                }
            });
            Thread.sleep(100);
            first.close();
            second.get(5, TimeUnit.SECONDS);
        }
    }

    /** The agent answers first and gives the turn back afterwards, on another worker thread. */
    @Test
    void close_fromAnotherThreadTwice_givesTheTurnBackOnce() throws Exception {
        try (SystemdClient client = SystemdClient.forAddress("unix:path=" + dir.resolve("no-bus"))) {
            ProbeQueue.Turn first = ProbeQueue.take("queue-c.service", client, Duration.ofSeconds(1));
            CompletableFuture.runAsync(() -> {
                first.close();
                first.close();
            }).get(5, TimeUnit.SECONDS);

            ProbeQueue.Turn second = ProbeQueue.take("queue-c.service", client, Duration.ofMillis(200));
            ProbeException e = assertThrows(ProbeException.class,
                    () -> ProbeQueue.take("queue-c.service", client, Duration.ofMillis(200)));
            second.close();
            assertEquals("cannot probe queue-c.service: another probe of it in this process is still running after "
                    + "200 ms (probes of one unit run one at a time); try again later", e.getMessage());
        }
    }
}
