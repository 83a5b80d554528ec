package dev.unitguard.cli;

import dev.unitguard.json.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unitguard rollback}: asks the local agent to undo the newest change of a unit, or to put back what history
 * entry {@code --to} left ({@code POST /v1/units/UNIT/rollback}). Exit codes as for apply.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Rolls a unit back to its previous version, or to a history entry, through the local agent.")
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    AgentOptions agent;

    @Option(names = "--unit", required = true, paramLabel = "UNIT", description = "The unit to roll back.")
    String unit;

    @Option(names = "--to", paramLabel = "ID", description = "The history entry to go back to.")
    Long to;

    @Option(names = "--restart", description = "Restart the unit if it is active, then verify it.")
    boolean restart;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
            description = "Seconds for the restart and the active state (default: ${DEFAULT-VALUE}).")
    int timeout;

    /** The body of {@code POST /rollback}; {@code to} null: the newest change. */
    record RollbackBody(Long to, boolean restart, int timeoutSeconds) {
    }

    @Override
    public Integer call() {
        return agent.send("POST", "/v1/units/" + AgentClient.segment(unit) + "/rollback",
                Optional.of(Json.compact(new RollbackBody(to, restart, timeout))), Duration.ofSeconds(timeout));
    }
}
