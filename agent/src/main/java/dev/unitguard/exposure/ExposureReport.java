package dev.unitguard.exposure;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
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
 * @param systemd   the supported release whose table and weights scored it
 * @param live      true when scored as {@code systemd-analyze security UNIT} scores a unit the running manager has
 *                  loaded, false as {@code --offline=true} scores its file ({@link EffectiveUnit#isLive()})
 */
public record ExposureReport(String unit, BigDecimal exposure, String predicate, List<SecurityCheckResult> checks,
                             SystemdVersion systemd, boolean live) {

    public ExposureReport {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(predicate, "predicate");
        checks = List.copyOf(checks);
        Objects.requireNonNull(systemd, "systemd");
    }
}
