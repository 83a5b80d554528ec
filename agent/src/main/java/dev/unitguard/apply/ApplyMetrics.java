package dev.unitguard.apply;

import java.time.Duration;

/**
 * What the engine reports for metrics; the agent's metrics package implements it over Micrometer
 * ({@code unitguard_applies_total{outcome}}, an apply duration timer, a drop-in generation gauge per unit).
 */
public interface ApplyMetrics {

    ApplyMetrics NONE = new ApplyMetrics() {
        @Override
        public void finished(String unit, Operation operation, Outcome outcome, Duration duration) {
        }

        @Override
        public void generation(String unit, long generation) {
        }
    };

    /** One request ended with {@code outcome} after {@code duration}. */
    void finished(String unit, Operation operation, Outcome outcome, Duration duration);

    /** The history id of the change now in force for {@code unit} (0: none recorded). */
    void generation(String unit, long generation);
}
