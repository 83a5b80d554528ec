package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.ALICE;
import static dev.unitguard.apply.ApplyFixture.UNIT;
import static dev.unitguard.apply.ApplyFixture.dropInFor;
import static dev.unitguard.apply.ApplyFixture.hardening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.systemd.JobResult;
import dev.unitguard.systemd.Journal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void applyHardening_twentyConcurrentDifferentRequests_oneWinnerConsistentHistoryNoPartialFiles() throws Exception {
        ApplyFixture fx = new ApplyFixture(dir);
        fx.retention = 100;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        fx.hook = step -> {
            if (step == Step.SAVED_PREVIOUS) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            } else if (step == Step.HISTORY_WRITTEN) {
                inside.decrementAndGet();
            }
        };
        fx.systemd.restartDelay = Duration.ofMillis(3);
        ApplyService service = fx.service();
        List<Map<String, String>> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(Map.of("ProtectSystem", "strict", "TimeoutStartSec", Integer.toString(100 + i)));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<ApplyResult>> results = new ArrayList<>();
        for (Map<String, String> set : requests) {
            results.add(pool.submit(() -> {
                go.await();
                return service.applyHardening(hardening(set, false), Caller.of("worker"));
            }));
        }
        go.countDown();
        for (Future<ApplyResult> f : results) {
            assertInstanceOf(ApplyResult.Applied.class, f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        List<HistoryEntry> history = service.history(UNIT);
        assertEquals(1, most.get(), "changes to one unit overlapped");
        assertEquals(20, history.size());
        assertEquals(null, history.get(0).before());
        for (int i = 1; i < history.size(); i++) {
            assertEquals(history.get(i - 1).after(), history.get(i).before(), "history chain broken at " + i);
        }
        Set<String> contents = new HashSet<>();
        requests.forEach(r -> contents.add(dropInFor(r)));
        Set<String> applied = new HashSet<>();
        history.forEach(e -> applied.add(e.after()));
        assertEquals(contents, applied);
        assertEquals(Optional.of(history.get(19).after()), fx.dropInText());
        assertEquals(List.of(), fx.temporaries());
        assertEquals(List.of(), fx.journalFiles());
        assertEquals(20, fx.systemd.restarts.get());
    }

    @Test
    void applyHardening_oneUnitStuckInRestart_otherUnitProceeds() throws Exception {
        ApplyFixture fx = new ApplyFixture(dir);
        fx.file("etc/systemd/system/other.service", "[Service]\nExecStart=/usr/bin/true\n", "rw-r--r--");
        fx.systemd.running("other.service");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        FakeSystemd slow = fx.systemd;
        SystemdPort blocking = new ForwardingSystemd(slow) {
            @Override
            public JobResult restart(String unit, Duration timeout) throws SystemdFailure {
                if (unit.equals(UNIT)) {
                    stuck.countDown();
                    await(release);
                }
                return super.restart(unit, timeout);
            }
        };
        ApplyService service = ApplyService.builder(blocking)
                .settings(ApplySettings.defaults().withRoot(fx.root).withStateDirectory(fx.state)
                        .withTiming(Duration.ofMillis(5), Duration.ofMillis(5)))
                .journal(Journal.NONE).unitVerifier(UnitVerifier.NONE).build();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<ApplyResult> app = pool.submit(() -> service.applyHardening(
                hardening(Map.of("PrivateTmp", "yes"), false), ALICE));
        assertTrue(stuck.await(10, TimeUnit.SECONDS));

        ApplyResult other = pool.submit(() -> service.applyHardening(new HardeningRequest("other.service",
                HardeningRequest.single(Map.of("PrivateTmp", "yes")), ApplyFixture.NOTHING,
                Activation.restart(Health.NONE, Duration.ofSeconds(5)), false), ALICE)).get(10, TimeUnit.SECONDS);

        assertInstanceOf(ApplyResult.Applied.class, other);
        release.countDown();
        assertInstanceOf(ApplyResult.Applied.class, app.get(10, TimeUnit.SECONDS));
        pool.shutdown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
