package dev.unitguard.exposure;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One check of the exposure score, as {@code systemd-analyze security --json} reports it.
 *
 * @param id          systemd's name of the check, for example {@code PrivateNetwork=} or {@code SystemCallFilter=~@swap}
 * @param jsonField   systemd's JSON field of the check, for example {@code SystemCallFilter_swap}
 * @param description what the check found; null where systemd prints none (a partial badness without text)
 * @param set         systemd's {@code set}: true when the check passes (badness 0); false otherwise, and also when
 *                    the check does not apply (systemd prints null then; {@code badness} is null in that case)
 * @param exposure    the check's share of the overall score, one decimal; null when it passes or does not apply
 * @param weight      the check's weight
 * @param range       the check's range: its badness goes from 0 to range
 * @param badness     the check's badness, null when the check does not apply to the unit
 */
public record SecurityCheckResult(String id, String jsonField, String description, boolean set, BigDecimal exposure,
                                  int weight, int range, Long badness) {

    public SecurityCheckResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jsonField, "jsonField");
    }

    /** True when the check does not apply to the unit and is left out of the score. */
    public boolean notApplicable() {
        return badness == null;
    }
}
