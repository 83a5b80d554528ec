package dev.unitguard.sandbox;

import java.util.List;
import java.util.Objects;

/** The evaluator's answer: will the service start, and can it reach each required path and device. */
public record Verdict(StartupVerdict startup, List<RequirementVerdict> requirements) {

    public Verdict {
        Objects.requireNonNull(startup, "startup");
        requirements = List.copyOf(requirements);
    }

    /** True when the service starts and every requirement is met. */
    public boolean ok() {
        return startup.ok() && requirements.stream().allMatch(RequirementVerdict::ok);
    }
}
