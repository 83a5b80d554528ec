package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.Manager;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.freedesktop.dbus.interfaces.DBusSigHandler;

/**
 * Collects {@code JobRemoved} signals. A job can finish before the call that queued it has returned its path, so
 * results nobody waits for yet are kept (the most recent few hundred) for a waiter that comes a moment later.
 */
final class JobWatch implements DBusSigHandler<Manager.JobRemoved> {

    private static final int RECENT = 512;

    private final Map<String, CompletableFuture<String>> waiting = new HashMap<>();
    private final Map<String, String> recent = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > RECENT;
        }
    };

    @Override
    public synchronized void handle(Manager.JobRemoved signal) {
        CompletableFuture<String> waiter = waiting.remove(signal.job());
        if (waiter != null) {
            waiter.complete(signal.result());
        } else {
            recent.put(signal.job(), signal.result());
        }
    }

    /** The result of {@code job} (an object path), now or when its signal arrives. */
    synchronized CompletableFuture<String> watch(String job) {
        String result = recent.remove(job);
        if (result != null) {
            return CompletableFuture.completedFuture(result);
        }
        return waiting.computeIfAbsent(job, key -> new CompletableFuture<>());
    }

    synchronized void forget(String job) {
        waiting.remove(job);
    }
}
