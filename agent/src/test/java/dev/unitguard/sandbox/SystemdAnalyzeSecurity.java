package dev.unitguard.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/** Runs the real {@code systemd-analyze security --offline=true} and lists how a report differs from it. */
final class SystemdAnalyzeSecurity {

    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d) (\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What systemd-analyze printed for one unit file: the JSON checks and the text output, or its refusal. */
    record Output(int exitCode, String json, String text, String stderr) {
        boolean refused() {
            return exitCode != 0;
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    private SystemdAnalyzeSecurity() {
    }

    /** Skips the calling test (with the reason) unless systemd-analyze of systemd 252 is installed. */
    static void assumeSystemd252() {
        String version;
        try {
            version = run(List.of("systemd-analyze", "--version"), false).stdout();
        } catch (IOException e) {
            Assumptions.abort("systemd-analyze is not installed: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(version.startsWith("systemd 252 "),
                "the score is a port of systemd 252, this machine has: " + version.lines().findFirst().orElse(""));
    }

    static Output analyze(Path file) throws IOException {
        Result json = run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager", "--json=short",
                file.toString()), true);
        Result text = run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager", file.toString()), false);
        int exitCode = json.exitCode() != 0 ? json.exitCode() : text.exitCode();
        return new Output(exitCode, json.stdout(), text.stdout(), text.stderr());
    }

    /** Every difference between systemd-analyze's output and the report; empty when they agree. */
    static List<String> differences(Output expected, ExposureReport report) throws IOException {
        List<String> differences = new ArrayList<>();
        Matcher overall = OVERALL.matcher(expected.text());
        if (!overall.find()) {
            differences.add("no overall line in: " + expected.text());
            return differences;
        }
        compare(differences, "unit", overall.group(1), report.unit());
        compare(differences, "exposure", overall.group(2), report.exposure().toPlainString());
        compare(differences, "predicate", overall.group(3), report.predicate());
        compareChecks(differences, JSON.readTree(expected.json()), report);
        return differences;
    }

    private static void compareChecks(List<String> differences, JsonNode expected, ExposureReport report) {
        Map<String, SecurityCheckResult> ours = new LinkedHashMap<>();
        report.checks().forEach(c -> ours.put(c.id(), c));
        for (JsonNode check : expected) {
            String name = check.get("name").asText();
            SecurityCheckResult actual = ours.remove(name);
            if (actual == null) {
                differences.add(name + ": missing here");
                continue;
            }
            String prefix = name + " ";
            compare(differences, prefix + "json_field", check.get("json_field").asText(), actual.jsonField());
            compare(differences, prefix + "set", text(check.get("set")),
                    actual.badness() == null ? null : String.valueOf(actual.set()));
            compare(differences, prefix + "exposure", text(check.get("exposure")),
                    actual.exposure() == null ? null : actual.exposure().toPlainString());
            compare(differences, prefix + "description", text(check.get("description")), actual.description());
            compare(differences, prefix + "weight", text(check.get("weight")), String.valueOf(actual.weight()));
            compare(differences, prefix + "range", text(check.get("range")), String.valueOf(actual.range()));
            String badness = text(check.get("badness"));
            compare(differences, prefix + "badness", "18446744073709551615".equals(badness) ? null : badness,
                    actual.badness() == null ? null : String.valueOf(actual.badness()));
        }
        ours.keySet().forEach(name -> differences.add(name + ": not reported by systemd-analyze"));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static void compare(List<String> differences, String what, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(what + ": systemd-analyze " + expected + ", here " + actual);
        }
    }

    static Result run(List<String> command, boolean debugColumns) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SYSTEMD_COLORS", "0");
        builder.environment().put("LC_ALL", "C.UTF-8");
        if (debugColumns) {
            builder.environment().put("SYSTEMD_ANALYZE_DEBUG", "1"); // adds weight, badness and range to the JSON
        }
        Process process = builder.start();
        try {
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), stdout, stderr);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }
}
