package dev.unitguard.cli;

import dev.unitguard.host.HostView;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * The inputs of the commands that check a unit against its manifest and may confirm the answer with the probe
 * (check, recommend): the unit file and the manifest ({@link CheckedUnit}), read once, and the probe's options
 * ({@link ProbeOptions}).
 */
final class ProbedUnit {

    @Mixin
    CheckedUnit input;

    @Mixin
    ProbeOptions probe;

    /** What a check runs on: the manifest, the unit file with its drop-ins, the machine under the root. */
    record Loaded(Requirements requirements, EffectiveUnit unit, HostView host) {
    }

    /** A static check, which may meet a user or group of the manifest the machine does not know. */
    interface StaticCheck<T> {
        T run() throws UnknownIdentity;
    }

    /** Reads the manifest, then the unit (so a bad manifest is reported first). */
    Loaded load() {
        Requirements requirements = input.requirements();
        return new Loaded(requirements, input.unit(), input.host());
    }

    /** Runs {@code check}; an unknown user or group is an input error naming the manifest (exit 2). */
    <T> T known(StaticCheck<T> check) {
        try {
            return check.run();
        } catch (UnknownIdentity e) {
            throw input.unknown(e);
        }
    }

    /** True when {@code --probe} asks for the dynamic check too. */
    boolean probing() {
        return probe.enabled;
    }

    /** Runs the probe on the loaded unit with {@code candidate} layered on it (see {@link ProbeOptions#run}). */
    ProbeResult probe(Loaded in, List<Assignment> candidate) {
        return probe.run(in.unit(), candidate, in.requirements());
    }
}
