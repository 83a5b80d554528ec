package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against the real {@code systemd-analyze security --offline=true} of this machine: for every
 * service unit under /lib/systemd/system and every fixture under src/test/resources/score, the overall score, the
 * predicate, the unit name and every check (name, JSON field, set, exposure, description, weight, badness, range)
 * must be equal.
 */
class SecurityAssessorDifferentialTest {

    static final Path MACHINE_UNITS = Path.of("/lib/systemd/system");
    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d) (\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COMPARED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @BeforeAll
    static void requireSystemd252() {
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

    @AfterAll
    static void summary() {
        System.out.println("SecurityAssessorDifferentialTest: " + COMPARED.get() + " units compared with systemd-analyze, "
                + REFUSED.get() + " refused by both");
    }

    static Stream<Path> units() throws URISyntaxException {
        Path fixtures = Path.of(Objects.requireNonNull(
                SecurityAssessorDifferentialTest.class.getResource("/score")).toURI());
        return Stream.concat(TestUnitFiles.services(MACHINE_UNITS).stream(), TestUnitFiles.services(fixtures).stream());
    }

    @Test
    void units_onThisMachineAndFixtures_found() throws URISyntaxException {
        assertFalse(TestUnitFiles.services(MACHINE_UNITS).isEmpty(), "no *.service under " + MACHINE_UNITS);
        assertTrue(units().count() > TestUnitFiles.services(MACHINE_UNITS).size(), "no fixture units under /score");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("units")
    void assess_unit_equalsSystemdAnalyze(Path file) throws Exception {
        Result json = run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager", "--json=short",
                file.toString()), true);
        Result text = run(List.of("systemd-analyze", "security", "--offline=true", "--no-pager", file.toString()), false);
        if (json.exitCode() != 0 || text.exitCode() != 0) {
            try {
                TestUnitFiles.load(file);
                fail(file + ": systemd-analyze refused the unit (" + text.stderr().strip() + ") but it loaded here");
            } catch (TestUnitFiles.MaskedException e) {
                assertEquals(text.stderr().strip(), e.getMessage(), file.toString());
                REFUSED.incrementAndGet();
                return;
            }
        }
        EffectiveUnit unit = TestUnitFiles.load(file);
        ExposureReport report = SecurityAssessor.assess(unit);

        List<String> differences = new ArrayList<>();
        Matcher overall = OVERALL.matcher(text.stdout());
        assertTrue(overall.find(), file + ": no overall line in: " + text.stdout());
        compare(differences, "unit", overall.group(1), report.unit());
        compare(differences, "exposure", overall.group(2), report.exposure().toPlainString());
        compare(differences, "predicate", overall.group(3), report.predicate());
        compareChecks(differences, JSON.readTree(json.stdout()), report);
        if (!differences.isEmpty()) {
            fail(file + " (" + report.unit() + "): " + differences.size() + " difference(s) from systemd-analyze:\n  "
                    + String.join("\n  ", differences));
        }
        COMPARED.incrementAndGet();
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

    record Result(int exitCode, String stdout, String stderr) {
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
