package dev.unitguard.systemd;

import java.time.Duration;
import java.time.Instant;
import org.freedesktop.dbus.DBusPath;

/**
 * A transient service systemd accepted ({@link SystemdClient#launch}) and that may still run. {@link #await} waits
 * for its start job and then for its stop, noticed by the {@code PropertiesChanged} signals of its object (each
 * answered by one reading of its active state; without a signal it is read every {@link #STOP_POLL} all the same),
 * reads its final state and stops it past its timeout. {@link #close} releases it ({@code UnrefUnit}) and stops
 * listening, after awaiting it when nobody did, so a launched unit is never left referenced; a caller may answer
 * with the awaited state first and close afterwards. Not thread-safe: one caller at a time launches, awaits and
 * closes.
 */
public final class RunningTransient implements AutoCloseable {

    /** How often a running transient unit's state is read when no signal came (signals normally come first). */
    private static final Duration STOP_POLL = Duration.ofMillis(500);

    private final SystemdClient client;
    private final BusCalls calls;
    private final BusSession session;
    private final String name;
    private final String call;
    private final DBusPath path;
    private final BusSession.Changes changes;
    private final String job;
    private final Instant deadline;
    private final Duration timeout;
    private boolean awaited;
    private boolean read;
    private boolean closed;

    RunningTransient(SystemdClient client, BusCalls calls, BusSession session, String name, DBusPath path,
                     BusSession.Changes changes, String job, Instant deadline, Duration timeout) {
        this.client = client;
        this.calls = calls;
        this.session = session;
        this.name = name;
        this.call = "StartTransientUnit(" + name + ")";
        this.path = path;
        this.changes = changes;
        this.job = job;
        this.deadline = deadline;
        this.timeout = timeout;
    }

    /** The unit's name. */
    public String name() {
        return name;
    }

    /**
     * Waits until the service stopped and returns the start job's outcome and its final state (its two property
     * sets read at once); once. The unit stays referenced until {@link #close}.
     */
    public TransientRun await() throws SystemdException {
        if (awaited) {
            throw new IllegalStateException(name + " was awaited already");
        }
        awaited = true;
        JobOutcome started = JobOutcome.of(name, job, calls.awaitJob(session, call, job, timeout));
        long seen = changes.count();
        String active;
        while (!UnitProperties.isStopped(active = activeState())) {
            Instant now = Instant.now();
            if (now.isAfter(deadline)) {
                client.stop(name);
                throw new SystemdException.CallTimeout(call, name + " still " + active, timeout);
            }
            seen = awaitChange(seen, Duration.between(now, deadline));
        }
        UnitProperties state = SystemdClient.read(calls, session, call, name, path);
        read = true;
        return new TransientRun(started, state);
    }

    /**
     * {@code Get(ActiveState)}: while the unit runs only this is read on each signal; all its properties (two
     * {@code GetAll}, the larger messages) once it stopped.
     */
    private String activeState() throws SystemdException {
        return calls.on(session, call, s -> String.valueOf(s.property(path, "org.freedesktop.systemd1.Unit",
                "ActiveState")));
    }

    /** Waits for a signal after the {@code seen}th, at most {@link #STOP_POLL} (and {@code left}). */
    private long awaitChange(long seen, Duration left) throws SystemdException {
        try {
            return changes.awaitAfter(seen, left.compareTo(STOP_POLL) < 0 ? left : STOP_POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException.CallFailed(call, "Interrupted", "interrupted while waiting for the unit", e);
        }
    }

    /**
     * Awaits the unit when nobody did (its outcome is dropped, a failure too: the caller had its own), then releases
     * it once its state was read ({@code UnrefUnit}, so that systemd collects it) and stops listening to its
     * signals; once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!awaited) {
                await();
            }
            if (read) {
                calls.on(session, "UnrefUnit(" + name + ")", s -> {
                    s.manager().UnrefUnit(name);
                    return null;
                });
            }
        } catch (SystemdException e) {
            // the caller is already failing, or had its answer; systemd collects the unit (CollectMode) once the bus
            // lets go of it
        } finally {
            changes.close();
        }
    }
}
