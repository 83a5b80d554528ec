package dev.unitguard.cli;

import dev.unitguard.json.Json;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the commands that change a unit through the local agent share (apply, rollback): the agent's options, the
 * unit, whether to restart it, and the seconds the change may take, which the request carries as
 * {@code timeoutSeconds} and which bound how long its answer may take.
 */
final class UnitChange {

    @Mixin
    AgentOptions agent;

    @Option(names = "--unit", required = true, paramLabel = "UNIT", description = "The unit to change.")
    String unit;

    @Option(names = "--restart", description = "Restart the unit if it is active, then verify it.")
    boolean restart;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
            description = "Seconds for the restart, the active state and any health check (default: ${DEFAULT-VALUE}).")
    int timeout;

    /** Sends {@code body} as JSON to {@code /v1/units/UNIT/ACTION}; the answer reported, the exit status returned. */
    int send(String method, String action, Object body) {
        return agent.send(method, "/v1/units/" + AgentClient.segment(unit) + "/" + action,
                Optional.of(Json.compact(body)), Duration.ofSeconds(timeout));
    }
}
