package dev.unitguard.apply;

import dev.unitguard.systemd.JobResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Restarts a unit and waits, within the timeout, until it is active, has stayed active (same invocation, no
 * restart) for the settle time, and its health check passes. A unit that fails, or a timeout, is a {@link Failure}.
 */
final class Verifier {

    private static final Duration HEALTH_ATTEMPT = Duration.ofSeconds(10);
    /** Once a check failed, no new attempt starts with less time left than this: its answer would be a timeout. */
    private static final Duration LAST_ATTEMPT = Duration.ofSeconds(1);

    private final SystemdPort systemd;
    private final HealthChecker checker;
    private final Duration settle;
    private final Duration poll;
    private final StepHook hook;

    Verifier(SystemdPort systemd, HealthChecker checker, Duration settle, Duration poll, StepHook hook) {
        this.systemd = systemd;
        this.checker = checker;
        this.settle = settle;
        this.poll = poll;
        this.hook = hook;
    }

    /** Restarts {@code unit} and waits for it to be active and healthy; empty when it is. */
    Optional<Failure> restartAndAwait(String unit, Health health, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobResult job;
        try {
            job = systemd.restart(unit, timeout);
        } catch (SystemdPort.SystemdFailure e) {
            return Optional.of(Failure.of(FailedStep.RESTART, e.getMessage()));
        }
        hook.reached(Step.RESTARTED);
        if (job != JobResult.DONE) {
            UnitState state = stateOrNull(unit);
            return Optional.of(failure(FailedStep.RESTART, "restart job of " + unit + " ended with result "
                    + job.word() + (state == null ? "" : "; the unit is " + state.describe()), job, state));
        }
        return awaitActive(unit, health, timeout, deadline);
    }

    private Optional<Failure> awaitActive(String unit, Health health, Duration timeout, long deadline) {
        String invocation = null;
        long restarts = -1;
        long activeSince = 0;
        String unhealthy = null;
        UnitState state = null;
        while (true) {
            try {
                state = systemd.state(unit);
            } catch (SystemdPort.SystemdFailure e) {
                return Optional.of(new Failure(FailedStep.ACTIVE, e.getMessage(), JobResult.DONE, null, null,
                        List.of(), null));
            }
            if (state.isFailed()) {
                return Optional.of(failure(FailedStep.ACTIVE, unit + " failed after the restart: "
                        + state.describe(), JobResult.DONE, state));
            }
            long now = System.nanoTime();
            if (!state.activeState().equals("active")) {
                invocation = null;
            } else if (invocation == null || !invocation.equals(state.invocationId()) || restarts != state.nRestarts()) {
                invocation = state.invocationId();
                restarts = state.nRestarts();
                activeSince = now;
            } else if (now - activeSince >= settle.toNanos()
                    && (unhealthy == null || deadline - now >= LAST_ATTEMPT.toNanos())) {
                Duration attempt = Duration.ofNanos(Math.max(deadline - now, poll.toNanos()));
                Optional<String> why = health instanceof Health.None ? Optional.empty() : checker.check(unit, health,
                        attempt.compareTo(HEALTH_ATTEMPT) < 0 ? attempt : HEALTH_ATTEMPT);
                if (why.isEmpty()) {
                    return Optional.empty();
                }
                unhealthy = why.get();
            }
            if (now - deadline > 0) {
                return Optional.of(unhealthy != null
                        ? failure(FailedStep.HEALTH, "health check failed within " + seconds(timeout) + ": "
                                + unhealthy, JobResult.DONE, state)
                        : failure(FailedStep.ACTIVE, unit + " not active within " + seconds(timeout) + ": "
                                + state.describe(), JobResult.DONE, state));
            }
            sleep();
        }
    }

    private UnitState stateOrNull(String unit) {
        try {
            return systemd.state(unit);
        } catch (SystemdPort.SystemdFailure e) {
            return null;
        }
    }

    private static Failure failure(FailedStep step, String message, JobResult job, UnitState state) {
        Integer status = state != null && state.execMainCode() == 1 && state.execMainStatus() != 0
                ? state.execMainStatus() : null;
        return new Failure(step, message, job, state == null ? null : state.result(), status, List.of(), null);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the unit", e);
        }
    }
}
