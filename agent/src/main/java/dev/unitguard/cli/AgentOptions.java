package dev.unitguard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that talk to the local agent. */
final class AgentOptions {

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "/run/unitguard/agent.sock",
            description = "The agent's Unix socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    @Option(names = "--json", description = "Print the agent's answer as JSON.")
    boolean json;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Sent as Idempotency-Key: a retried request with the same key gets the first answer.")
    String idempotencyKey;

    java.util.Map<String, String> headers() {
        return idempotencyKey == null ? java.util.Map.of() : java.util.Map.of("Idempotency-Key", idempotencyKey);
    }
}
