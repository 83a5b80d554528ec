package dev.unitguard.metrics;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * What the metrics show of one service unit: its state as systemd reports it, its restart count, and its exposure
 * score (empty when the unit's files could not be assessed).
 */
public record UnitSample(String unit, String activeState, String subState, long restarts,
                         Optional<BigDecimal> exposure) {

    public UnitSample {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(activeState, "activeState");
        Objects.requireNonNull(subState, "subState");
        Objects.requireNonNull(exposure, "exposure");
    }
}
