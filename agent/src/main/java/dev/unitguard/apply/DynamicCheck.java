package dev.unitguard.apply;

import dev.unitguard.probe.Probe;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.probe.RunningProbe;
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
     * Starts the probe and returns while it runs (the engine runs the static check meanwhile); the real probe
     * ({@link #over(Probe, Supplier)}) does, this default runs it to its end first.
     */
    default Pending start(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
            throws ProbeException {
        ProbeResult result = probe(unit, candidate, requirements);
        return new Pending() {
            @Override
            public ProbeResult result() {
                return result;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A started probe: its result once it ended; closing it awaits and releases it when nobody asked. */
    interface Pending extends AutoCloseable {
        ProbeResult result() throws ProbeException;

        @Override
        void close();
    }

    /**
     * {@code probe} (in tests a stand-in), not run while {@code unavailable} says why systemd cannot be reached:
     * then the reason is the {@link ProbeException}'s.
     */
    static DynamicCheck over(DynamicCheck probe, Supplier<Optional<String>> unavailable) {
        return (unit, candidate, requirements) -> {
            requireAvailable(unavailable);
            return probe.probe(unit, candidate, requirements);
        };
    }

    /** The real probe, started while the engine runs its static check; as {@link #over(DynamicCheck, Supplier)}. */
    static DynamicCheck over(Probe probe, Supplier<Optional<String>> unavailable) {
        return new DynamicCheck() {
            @Override
            public ProbeResult probe(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
                    throws ProbeException {
                requireAvailable(unavailable);
                return probe.run(unit, candidate, requirements);
            }

            @Override
            public Pending start(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
                    throws ProbeException {
                requireAvailable(unavailable);
                RunningProbe started = probe.start(unit, candidate, requirements);
                return new Pending() {
                    @Override
                    public ProbeResult result() throws ProbeException {
                        return started.result();
                    }

                    @Override
                    public void close() {
                        started.close();
                    }
                };
            }
        };
    }

    private static void requireAvailable(Supplier<Optional<String>> unavailable) throws ProbeException {
        Optional<String> down = unavailable.get();
        if (down.isPresent()) {
            throw new ProbeException("systemd unavailable: " + down.get());
        }
    }
}
