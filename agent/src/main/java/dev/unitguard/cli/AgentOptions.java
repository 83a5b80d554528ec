package dev.unitguard.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options shared by the commands that ask the local agent for a change (apply, rollback), and the one request they
 * send: its answer reported, an agent without a usable answer exit 2.
 */
final class AgentOptions {

    /** The command this mixin is part of: its output streams. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    AgentSocket socket;

    @Option(names = "--json", description = "Print the agent's answer as JSON.")
    boolean json;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Sent as Idempotency-Key: a retried request with the same key gets the first answer.")
    String idempotencyKey;

    Map<String, String> headers() {
        return idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
    }

    /** {@code changeTimeout}: the request's {@code timeoutSeconds}, which bounds how long the answer may take. */
    int send(String method, String path, Optional<String> body, Duration changeTimeout) {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        return socket.send(method, path, body, AgentClient.answerTimeout(changeTimeout), headers(), err)
                .map(answer -> AgentAnswer.report(answer, json, out, err)).orElse(Main.EXIT_USAGE);
    }
}
