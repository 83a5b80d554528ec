package dev.unitguard.exposure;

import java.util.Objects;

/**
 * One row of systemd's {@code security_assessor_table}: the check's id and JSON field, its descriptions, its weight
 * and range, whether it applies only to units with default dependencies, and how it assesses a unit.
 */
record SecurityCheck(String id, String jsonField, String descriptionGood, String descriptionBad,
                     String descriptionNotApplicable, int weight, int range, boolean defaultDependenciesOnly,
                     Assess assess) {

    /** Assesses one unit: a badness from 0 to range, or null when the check does not apply, and a description. */
    @FunctionalInterface
    interface Assess {
        Assessment apply(SecurityInfo info, SecurityCheck check);
    }

    /** A badness (null: not applicable) and an optional description that overrides the check's own. */
    record Assessment(Long badness, String description) {
        static Assessment of(long badness) {
            return new Assessment(badness, null);
        }

        static Assessment of(long badness, String description) {
            return new Assessment(badness, description);
        }

        static Assessment notApplicable() {
            return new Assessment(null, null);
        }
    }

    SecurityCheck {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jsonField, "jsonField");
        Objects.requireNonNull(assess, "assess");
        if (weight <= 0 || range <= 0) {
            throw new IllegalArgumentException(id + ": weight and range must be positive");
        }
    }
}
