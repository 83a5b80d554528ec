package dev.unitguard.cli;

import dev.unitguard.json.Json;
import dev.unitguard.learn.LearnMode;
import dev.unitguard.learn.Learner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard learn}: asks the local agent to learn a unit's requirements manifest
 * ({@code POST /v1/units/UNIT/learn}) and prints it on stdout. Exit 0 with the manifest, 2 for bad usage, an
 * unreachable agent or any problem it answers (one line on stderr).
 */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = "Learns what a running service uses and prints it as a requirements manifest (JSON).")
final class LearnCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AgentSocket agent;

    @Option(names = "--unit", required = true, paramLabel = "UNIT", description = "The running unit to learn from.")
    String unit;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to watch it, 1 to 3600 (default: ${DEFAULT-VALUE}).")
    long duration;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "observe",
            description = "observe (default: the running service, not restarted) or trace (restarts it under strace "
                    + "for the window, then under its own unit again).")
    String mode;

    /** The body of {@code POST /learn}, as docs/api.md lists it. */
    record LearnBody(long durationSeconds, String mode) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (duration < 1 || duration > Learner.MAX_WINDOW.toSeconds()) {
            throw new InputException("--duration " + duration + ": expected 1 to " + Learner.MAX_WINDOW.toSeconds());
        }
        if (LearnMode.of(mode).isEmpty()) {
            throw new InputException("--mode " + mode + ": expected observe or trace");
        }
        Optional<AgentSocket.Answer> answer = agent.send("POST", "/v1/units/" + AgentClient.segment(unit) + "/learn",
                Optional.of(Json.compact(new LearnBody(duration, mode))),
                AgentClient.answerTimeout(Duration.ofSeconds(duration).plus(mode.equals(LearnMode.TRACE.word())
                        ? Learner.TRACE_JOB_TIMEOUT.multipliedBy(2) : Duration.ZERO)), Map.of(), err);
        if (answer.isEmpty()) {
            return Main.EXIT_USAGE;
        }
        if (answer.get().status() != 200) {
            err.println(answer.get().problemLine());
            return Main.EXIT_USAGE;
        }
        out.println(Json.write(answer.get().body()));
        return 0;
    }
}
