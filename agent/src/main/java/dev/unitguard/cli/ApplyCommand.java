package dev.unitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.RequirementsManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unitguard apply}: asks the local agent to harden a unit ({@code PUT /v1/units/UNIT/hardening}). Exit 0
 * applied or unchanged, 1 refused or rolled back, 2 bad usage or agent unreachable.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Hardens a unit through the local agent: checked, atomic, rolled back on failure.")
final class ApplyCommand implements Callable<Integer> {

    @Mixin
    UnitChange change;

    @Option(names = "--set", required = true, paramLabel = "KEY=VALUE",
            description = "A directive of the unitguard drop-in (repeatable; a key given twice gets both lines).")
    List<String> set = new ArrayList<>();

    @Option(names = "--requires", required = true, paramLabel = "FILE",
            description = "The requirements manifest (JSON): the paths, accesses and devices the service needs.")
    Path requires;

    @Option(names = "--health-url", paramLabel = "URL", description = "After the restart, GET URL must answer 2xx.")
    String healthUrl;

    @Option(names = "--force", description = "Apply even when the checks say the service would break.")
    boolean force;

    /** The body of {@code PUT /hardening}, as docs/api.md lists it. */
    record HardeningBody(Map<String, Object> set, JsonNode requires, boolean restart, Map<String, String> health,
                         int timeoutSeconds, boolean force) {
    }

    @Override
    public Integer call() {
        HardeningBody body = new HardeningBody(directives(), manifest(), change.restart,
                healthUrl == null ? null : Map.of("http", healthUrl), change.timeout, force);
        return change.send("PUT", "hardening", body);
    }

    /** {@code KEY=VALUE} options in order: a key given once is a string, a key given again an array. */
    private Map<String, Object> directives() {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String option : set) {
            int eq = option.indexOf('=');
            if (eq <= 0 || option.contains("\n")) {
                throw new InputException("--set " + option + ": expected KEY=VALUE");
            }
            values.computeIfAbsent(option.substring(0, eq), k -> new ArrayList<>()).add(option.substring(eq + 1));
        }
        Map<String, Object> directives = new LinkedHashMap<>();
        values.forEach((key, v) -> directives.put(key, v.size() == 1 ? v.get(0) : v));
        return directives;
    }

    /** The manifest as written, once it reads as a manifest (the same errors as {@code check}). */
    private JsonNode manifest() {
        try {
            String text = RequirementsManifest.text(requires);
            RequirementsManifest.parse(text, requires.getFileName() == null ? requires.toString()
                    : requires.getFileName().toString());
            return Json.tree(text);
        } catch (ManifestException e) {
            throw new InputException(e.getMessage());
        }
    }
}
