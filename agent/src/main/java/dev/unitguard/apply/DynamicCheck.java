package dev.unitguard.apply;

import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.util.List;
import java.util.Objects;

/**
 * The dynamic probe, where systemd is reachable: runs the requirements inside the candidate sandbox. Optional; the
 * probe package provides one. A probe that cannot run is {@link Verdict#unavailable} and does not refuse.
 */
@FunctionalInterface
public interface DynamicCheck {

    Verdict probe(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements);

    /** The probe's answer: every failure it saw, and the exit status the start would end with (null if it starts). */
    record Verdict(boolean ran, boolean ok, List<String> failures, Integer exitStatus, String exitStatusName) {
        public Verdict {
            failures = List.copyOf(failures);
            if (ok && !failures.isEmpty()) {
                throw new IllegalArgumentException("a passing probe has no failures");
            }
        }

        public static Verdict unavailable(String why) {
            Objects.requireNonNull(why, "why");
            return new Verdict(false, true, List.of(), null, null);
        }
    }
}
