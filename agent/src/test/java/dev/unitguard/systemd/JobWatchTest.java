package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.unitguard.systemd.dbus.Manager;
import java.util.concurrent.CompletableFuture;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.UInt32;
import org.junit.jupiter.api.Test;

class JobWatchTest {

    private final JobWatch watch = new JobWatch();

    @Test
    void watch_beforeSignal_completesWithResult() throws Exception {
        CompletableFuture<String> result = watch.watch("/org/freedesktop/systemd1/job/7");
        assertFalse(result.isDone());

        watch.handle(removed(7, "a.service", "failed"));

        assertEquals("failed", result.getNow(null));
    }

    @Test
    void watch_afterSignal_resultKeptForLateWaiter() throws Exception {
        watch.handle(removed(8, "b.service", "done"));

        assertEquals("done", watch.watch("/org/freedesktop/systemd1/job/8").getNow(null));
    }

    @Test
    void watch_otherJobsSignals_notMixedUp() throws Exception {
        CompletableFuture<String> mine = watch.watch("/org/freedesktop/systemd1/job/9");

        watch.handle(removed(10, "c.service", "done"));

        assertFalse(mine.isDone());
    }

    @Test
    void recent_manyUnclaimedSignals_oldestForgotten() throws Exception {
        for (int id = 1; id <= 600; id++) {
            watch.handle(removed(id, "x.service", "done"));
        }

        assertFalse(watch.watch("/org/freedesktop/systemd1/job/1").isDone());
        assertEquals("done", watch.watch("/org/freedesktop/systemd1/job/600").getNow(null));
    }

    private static Manager.JobRemoved removed(long id, String unit, String result) throws Exception {
        return new Manager.JobRemoved("/org/freedesktop/systemd1", new UInt32(id),
                new DBusPath("/org/freedesktop/systemd1/job/" + id), unit, result);
    }
}
