package dev.unitguard.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * The evaluator's answer: will the service start, can it reach each required path and device, and does the sandbox
 * leave it the sockets, address families, system calls and capabilities the manifest states ({@code needs}; empty
 * when it states none).
 */
public record Verdict(StartupVerdict startup, List<RequirementVerdict> requirements, List<NeedVerdict> needs) {

    public Verdict {
        Objects.requireNonNull(startup, "startup");
        requirements = List.copyOf(requirements);
        needs = List.copyOf(needs);
    }

    /** True when the service starts and every requirement and need is met. */
    public boolean ok() {
        return startup.ok() && requirements.stream().allMatch(RequirementVerdict::ok)
                && needs.stream().allMatch(NeedVerdict::ok);
    }
}
