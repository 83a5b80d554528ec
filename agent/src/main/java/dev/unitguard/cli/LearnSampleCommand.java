package dev.unitguard.cli;

import dev.unitguard.learn.LearnSample;
import dev.unitguard.learn.Learner;
import dev.unitguard.unit.UnitName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard learn-sample}: the sampler the agent runs in a transient unit for {@code learn} (docs/security.md);
 * samples the unit's processes in /proc and prints what they used as a manifest. Hidden: not for people.
 */
@Command(name = "learn-sample", hidden = true,
        description = "Samples a unit's processes in /proc (run by the agent for learn).")
final class LearnSampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--unit", required = true, paramLabel = "UNIT")
    String unit;

    @Option(names = "--duration", required = true, paramLabel = "SECONDS")
    long duration;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (duration < 1 || duration > Learner.MAX_WINDOW.toSeconds()) {
            throw new InputException("--duration " + duration + ": expected 1 to " + Learner.MAX_WINDOW.toSeconds());
        }
        String name;
        try {
            name = UnitName.parse(unit).name();
        } catch (IllegalArgumentException e) {
            throw new InputException("--unit " + unit + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println(LearnSample.sample(Path.of("/proc"), Path.of("/"), name,
                Duration.ofSeconds(duration)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
