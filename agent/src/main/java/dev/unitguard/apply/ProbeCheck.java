package dev.unitguard.apply;

import dev.unitguard.probe.Probe;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dynamic check over the sandbox probe: runs the requirements in a transient service with the candidate
 * sandbox. When systemd is not reachable ({@code unavailable} says why) or the probe cannot run, the verdict is
 * {@link Verdict#unavailable} and the static check alone decides.
 */
public final class ProbeCheck implements DynamicCheck {

    /** Runs a probe; the real one is {@code Probe::run}. */
    @FunctionalInterface
    public interface Runner {
        ProbeResult run(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
                throws ProbeException;
    }

    private final Runner probe;
    private final Supplier<Optional<String>> unavailable;

    public ProbeCheck(Runner probe, Supplier<Optional<String>> unavailable) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    }

    public static ProbeCheck over(Probe probe, Supplier<Optional<String>> unavailable) {
        return new ProbeCheck(probe::run, unavailable);
    }

    @Override
    public Verdict probe(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements) {
        Optional<String> down = unavailable.get();
        if (down.isPresent()) {
            return Verdict.unavailable("systemd unavailable: " + down.get());
        }
        ProbeResult result;
        try {
            result = probe.run(unit, candidate, requirements);
        } catch (ProbeException e) {
            return Verdict.unavailable(e.getMessage());
        }
        return verdict(result);
    }

    static Verdict verdict(ProbeResult result) {
        List<String> failures = new ArrayList<>();
        ProbeResult.Startup startup = result.startup();
        if (!startup.ok()) {
            failures.add("the service would not start: status " + startup.exitStatus() + "/"
                    + startup.exitStatusName() + (startup.journal() == null ? "" : ": " + startup.journal()));
        }
        for (ProbeResult.Observation o : result.requirements()) {
            if (!o.ok()) {
                failures.add(o.path() + " (" + o.access() + "): " + o.error());
            }
        }
        return new Verdict(true, failures.isEmpty(), failures, startup.ok() ? null : startup.exitStatus(),
                startup.ok() ? null : startup.exitStatusName());
    }
}
