package dev.unitguard.sandbox;

import dev.unitguard.unit.EffectiveUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
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
    private static final AtomicInteger COMPARED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @BeforeAll
    static void requireSystemd252() {
        SystemdAnalyzeSecurity.assumeSystemd252();
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
        SystemdAnalyzeSecurity.Output expected = SystemdAnalyzeSecurity.analyze(file);
        if (expected.refused()) {
            EffectiveUnit unit;
            try {
                unit = TestUnitFiles.load(file);
            } catch (TestUnitFiles.MaskedException e) {
                assertEquals(expected.stderr().strip(), e.getMessage(), file.toString());
                REFUSED.incrementAndGet();
                return;
            }
            SecurityAssessmentException e = assertThrows(SecurityAssessmentException.class,
                    () -> SecurityAssessor.assess(unit), file + ": systemd-analyze refused the unit ("
                            + expected.stderr().strip() + ") but it was scored here");
            assertTrue(expected.stderr().contains(e.getMessage() + "\n"),
                    file + ": systemd said " + expected.stderr() + " but here: " + e.getMessage());
            REFUSED.incrementAndGet();
            return;
        }
        ExposureReport report = SecurityAssessor.assess(TestUnitFiles.load(file));
        List<String> differences = SystemdAnalyzeSecurity.differences(expected, report);
        if (!differences.isEmpty()) {
            fail(file + " (" + report.unit() + "): " + differences.size() + " difference(s) from systemd-analyze:\n  "
                    + String.join("\n  ", differences));
        }
        COMPARED.incrementAndGet();
    }
}
