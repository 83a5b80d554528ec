package dev.unitguard.apply;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The step of a change that failed ({@link Failure#step()}); in JSON the lower-case word, {@code reload}... */
public enum FailedStep {
    /** daemon-reload did not complete. */
    RELOAD,
    /** The restart job did not complete, or ended with a result other than {@code done}. */
    RESTART,
    /** The unit failed after the restart, or was not active (and settled) within the timeout. */
    ACTIVE,
    /** The unit was active but its health check did not pass within the timeout. */
    HEALTH;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
