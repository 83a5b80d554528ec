package dev.unitguard.cli;

import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that talk to the local agent. */
final class AgentOptions {

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
}
