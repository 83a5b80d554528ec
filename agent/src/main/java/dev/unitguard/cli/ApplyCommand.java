package dev.unitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.RequirementsManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard apply}: asks the local agent to harden a unit ({@code PUT /v1/units/UNIT/hardening}). Exit 0
 * applied or unchanged, 1 refused or rolled back, 2 bad usage or agent unreachable.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Hardens a unit through the local agent: checked, atomic, rolled back on failure.")
final class ApplyCommand implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    AgentOptions agent;

    @Option(names = "--unit", required = true, paramLabel = "UNIT", description = "The unit to harden.")
    String unit;

    @Option(names = "--set", required = true, paramLabel = "KEY=VALUE",
            description = "A directive of the unitguard drop-in (repeatable; a key given twice gets both lines).")
    List<String> set = new ArrayList<>();

    @Option(names = "--requires", required = true, paramLabel = "FILE",
            description = "The requirements manifest (JSON): the paths, accesses and devices the service needs.")
    Path requires;

    @Option(names = "--restart", description = "Restart the unit if it is active, then verify it.")
    boolean restart;

    @Option(names = "--health-url", paramLabel = "URL", description = "After the restart, GET URL must answer 2xx.")
    String healthUrl;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
            description = "Seconds for the restart, the active state and the health check (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--force", description = "Apply even when the checks say the service would break.")
    boolean force;

    @Override
    public Integer call() {
        ObjectNode body = MAPPER.createObjectNode();
        body.set("set", directives());
        body.set("requires", manifest());
        body.put("restart", restart);
        if (healthUrl == null) {
            body.putNull("health");
        } else {
            body.putObject("health").put("http", healthUrl);
        }
        body.put("timeoutSeconds", timeout);
        body.put("force", force);
        return Agent.call(spec, agent, "PUT", "/v1/units/" + AgentClient.segment(unit) + "/hardening",
                Optional.of(body.toString()), Duration.ofSeconds(timeout));
    }

    private ObjectNode directives() {
        ObjectNode node = MAPPER.createObjectNode();
        for (String option : set) {
            int eq = option.indexOf('=');
            if (eq <= 0 || option.contains("\n")) {
                throw new InputException("--set " + option + ": expected KEY=VALUE");
            }
            String key = option.substring(0, eq);
            String value = option.substring(eq + 1);
            JsonNode present = node.get(key);
            if (present == null) {
                node.put(key, value);
            } else if (present.isArray()) {
                ((ArrayNode) present).add(value);
            } else {
                node.putArray(key).add(present.asText()).add(value);
            }
        }
        return node;
    }

    private JsonNode manifest() {
        try {
            String text = RequirementsManifest.text(requires);
            RequirementsManifest.parse(text, requires.getFileName() == null ? requires.toString()
                    : requires.getFileName().toString());
            return MAPPER.readTree(text);
        } catch (ManifestException e) {
            throw new InputException(e.getMessage());
        } catch (IOException e) {
            throw new InputException(requires + ": cannot read: " + e.getMessage());
        }
    }
}
