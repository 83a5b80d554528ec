package dev.unitguard.exposure;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The exposure score of one unit, as {@code systemd-analyze security} of the modelled systemd release computes it.
 *
 * @param unit      the unit's name as systemd reports it
 * @param exposure  the overall exposure, 0.0 (perfect) to 10.0 (dangerous), one decimal
 * @param predicate systemd's word for the score: DANGEROUS, UNSAFE, EXPOSED, MEDIUM, OK, SAFE or PERFECT
 * @param checks    every check, in systemd's table order
 */
public record ExposureReport(String unit, BigDecimal exposure, String predicate, List<SecurityCheckResult> checks) {

    public ExposureReport {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(predicate, "predicate");
        checks = List.copyOf(checks);
    }
}
