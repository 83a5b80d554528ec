package dev.unitguard.apply;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens after a file is written: always a daemon-reload; a restart when {@code restart} and the unit was
 * active; then, within {@code timeout}, the unit must be active and {@code health} must pass.
 */
public record Activation(boolean restart, Health health, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public Activation {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeoutSeconds must be between 1 and " + MAX_TIMEOUT.toSeconds()
                    + ": " + timeout.toSeconds());
        }
    }

    /** Reload only: no restart, no health check. */
    public static Activation reloadOnly() {
        return new Activation(false, Health.NONE, DEFAULT_TIMEOUT);
    }

    public static Activation restart(Health health, Duration timeout) {
        return new Activation(true, health, timeout);
    }
}
