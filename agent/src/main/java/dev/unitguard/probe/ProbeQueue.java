package dev.unitguard.probe;

import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.UnitStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Probes of one unit run one at a time: a second probe waits (first come, first served) until the first one ended,
 * at most as long as one probe may take, and is then refused with an error that says why. Within this process a
 * fair single permit per unit name orders them (one per unit that was ever probed: bounded by the units the machine
 * has, since a unit is loaded before it is probed; a permit, not a lock, so that the turn may be given back by
 * another thread than the one that took it: the agent's clean-up after the answer was sent); across processes (the
 * agent and a {@code check --probe} run at the same time) the probe also waits while systemd has another probe unit
 * of the same unit running.
 */
final class ProbeQueue {

    private static final ConcurrentHashMap<String, Semaphore> TURNS = new ConcurrentHashMap<>();
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Set<String> STOPPED = Set.of("inactive", "failed");

    /** The right to probe one unit, released by {@link #close()} (once, from any thread). */
    static final class Turn implements AutoCloseable {
        private final Semaphore permit;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Turn(Semaphore permit) {
            this.permit = permit;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                permit.release();
            }
        }
    }

    private ProbeQueue() {
    }

    /**
     * Waits for the turn of {@code unit}: first behind the probes of this process, then until no probe unit of
     * {@code unit} started elsewhere is active on {@code client}'s systemd; both within {@code wait}.
     */
    static Turn take(String unit, SystemdClient client, Duration wait) throws ProbeException {
        Instant deadline = Instant.now().plus(wait);
        Semaphore permit = TURNS.computeIfAbsent(unit, k -> new Semaphore(1, true));
        try {
            if (!permit.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(unit, wait, "another probe of it in this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while waiting for the probe of " + unit, e);
        }
        Turn turn = new Turn(permit);
        try {
            awaitOtherProcesses(unit, client, deadline, wait);
            return turn;
        } catch (ProbeException | RuntimeException e) {
            turn.close();
            throw e;
        }
    }

    private static void awaitOtherProcesses(String unit, SystemdClient client, Instant deadline, Duration wait)
            throws ProbeException {
        Pattern ours = Pattern.compile(Pattern.quote(Probe.prefix(unit)) + "[0-9a-f]{12}\\.service");
        while (true) {
            List<String> running;
            try {
                running = client.listUnits(List.of(Probe.prefix(unit) + "*")).stream()
                        .filter(u -> ours.matcher(u.name()).matches() && !STOPPED.contains(u.activeState()))
                        .map(UnitStatus::name).toList();
            } catch (SystemdException e) {
                return; // the probe's own start reports what is wrong with the bus
            }
            if (running.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw busy(unit, wait, running.get(0) + ", started by another process");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProbeException("interrupted while waiting for the probe of " + unit, e);
            }
        }
    }

    private static ProbeException busy(String unit, Duration wait, String who) {
        String waited = wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
        return new ProbeException("cannot probe " + unit + ": " + who + " is still running after " + waited + " (probes of one unit run one at a time); try again later");
    }
}
