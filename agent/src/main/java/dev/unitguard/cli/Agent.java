package dev.unitguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Sends one request to the local agent and reports its answer; an agent without a usable answer is exit 2. */
final class Agent {

    private Agent() {
    }

    /** {@code changeTimeout}: the request's {@code timeoutSeconds}, which bounds how long the answer may take. */
    static int call(CommandSpec spec, AgentOptions options, String method, String path, Optional<String> body,
                    Duration changeTimeout) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return options.socket.send(method, path, body, AgentClient.answerTimeout(changeTimeout), options.headers(), err)
                .map(answer -> AgentAnswer.report(answer, options.json, out, err)).orElse(Main.EXIT_USAGE);
    }
}
