package dev.unitguard.apply;

import dev.unitguard.systemd.JobResult;
import java.time.Duration;

/**
 * The part of systemd the engine uses. {@link #over(dev.unitguard.systemd.SystemdClient)} is the real one; unit
 * tests use a fake. Every method may block; a call that does not complete is a {@link SystemdFailure}.
 */
public interface SystemdPort {

    /** daemon-reload, returning once systemd re-read its units. */
    void reload() throws SystemdFailure;

    /** The unit's current state (a unit systemd does not know reads as load state {@code not-found}). */
    UnitState state(String unit) throws SystemdFailure;

    /** The unit's invocation ID (empty when it never ran or is not loaded), as {@link #state} has it. */
    default String invocationId(String unit) throws SystemdFailure {
        return state(unit).invocationId();
    }

    /** RestartUnit (starts a stopped unit), waiting for the job; returns how the job ended. */
    JobResult restart(String unit, Duration timeout) throws SystemdFailure;

    /** StopUnit, waiting for the job; returns how the job ended. */
    JobResult stop(String unit, Duration timeout) throws SystemdFailure;

    void resetFailed(String unit) throws SystemdFailure;

    /** EnableUnitFiles (persistent); the engine reloads afterwards. */
    void enable(String unit) throws SystemdFailure;

    /** DisableUnitFiles (persistent); the engine reloads afterwards. */
    void disable(String unit) throws SystemdFailure;

    static SystemdPort over(dev.unitguard.systemd.SystemdClient client) {
        return new SystemdClientPort(client);
    }

    /** A call to systemd that did not complete; the message names the call. */
    final class SystemdFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public SystemdFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
