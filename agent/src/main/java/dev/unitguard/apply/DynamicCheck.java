package dev.unitguard.apply;

import dev.unitguard.probe.Probe;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dynamic check, where systemd is reachable: runs the requirements inside the candidate sandbox (the probe,
 * {@link Probe#run}). Optional in the engine. A probe that cannot run is a {@link ProbeException} saying why; it
 * does not refuse the change, the static check alone decides, and the reason is logged.
 */
@FunctionalInterface
public interface DynamicCheck {

    ProbeResult probe(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
            throws ProbeException;

    /**
     * {@code probe} (the real one is {@code Probe::run}), not run while {@code unavailable} says why systemd cannot
     * be reached: then the reason is the {@link ProbeException}'s.
     */
    static DynamicCheck over(DynamicCheck probe, Supplier<Optional<String>> unavailable) {
        return (unit, candidate, requirements) -> {
            Optional<String> down = unavailable.get();
            if (down.isPresent()) {
                throw new ProbeException("systemd unavailable: " + down.get());
            }
            return probe.probe(unit, candidate, requirements);
        };
    }
}
