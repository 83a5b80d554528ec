package dev.unitguard.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabUnavailableException;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against the real {@code systemd-analyze security --offline=true} of every supported release
 * ({@code -Dunitguard.lab.versions}, default 252, 257 and 262), each run from its own root: the host's when the host
 * runs that release, else a lab root ({@link Lab#root}, built on first use). For every service unit the release's root
 * ships and every fixture under src/test/resources/score, the overall score, the predicate, the unit name and every
 * check (name, JSON field, set, exposure, description, weight, badness, range) must be equal to what
 * {@code unitguard score --systemd-version N --root ROOT} computes. A release without a root is skipped with the reason.
 */
class SecurityAssessorDifferentialTest {

    private static final Map<SystemdVersion, Map<Path, SystemdAnalyzeSecurity.Output>> OUTPUTS =
            new ConcurrentHashMap<>();
    private static final AtomicInteger COMPARED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    @AfterAll
    static void summary() {
        System.out.println("SecurityAssessorDifferentialTest: " + COMPARED.get() + " units compared with "
                + "systemd-analyze, " + REFUSED.get() + " refused by both");
    }

    static Path fixtures() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(SecurityAssessorDifferentialTest.class.getResource("/score")).toURI());
    }

    /** (release, unit file, why the release is unavailable): the release's own units, then the fixtures. */
    static Stream<Arguments> units() throws URISyntaxException {
        List<Arguments> cases = new ArrayList<>();
        for (SystemdVersion version : Lab.versions()) {
            SystemdAnalyzeSecurity.Release release;
            try {
                release = new SystemdAnalyzeSecurity.Release(version, Lab.root(version));
            } catch (LabUnavailableException e) {
                cases.add(Arguments.of(version, null, null, e.getMessage()));
                continue;
            }
            Stream.concat(TestUnitFiles.services(release.units()).stream(), TestUnitFiles.services(fixtures()).stream())
                    .forEach(file -> cases.add(Arguments.of(version, release, file, null)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "systemd {0}: {2}")
    @MethodSource("units")
    void assess_unit_equalsSystemdAnalyzeOfThatRelease(SystemdVersion version,
                                                       SystemdAnalyzeSecurity.Release release, Path file,
                                                       String unavailable) throws Exception {
        Assumptions.assumeTrue(unavailable == null, () -> "systemd " + version + " unavailable: " + unavailable);
        assertFalse(TestUnitFiles.services(release.units()).isEmpty(), "no *.service under " + release.units());
        SystemdAnalyzeSecurity.Output expected = outputs(release).get(file);
        String where = "systemd " + version + ": " + file;
        if (expected.refused()) {
            EffectiveUnit unit;
            try {
                unit = TestUnitFiles.load(file, release.root(), release.offlineInstance());
            } catch (TestUnitFiles.MaskedException e) {
                assertEquals(expected.stderr().strip(), e.getMessage(), where);
                REFUSED.incrementAndGet();
                return;
            }
            SecurityAssessmentException e = assertThrows(SecurityAssessmentException.class,
                    () -> SecurityAssessor.assess(unit, version), where + ": systemd-analyze refused the unit ("
                            + expected.stderr().strip() + ") but it was scored here");
            assertTrue(expected.stderr().contains(e.getMessage() + "\n"),
                    where + ": systemd said " + expected.stderr() + " but here: " + e.getMessage());
            REFUSED.incrementAndGet();
            return;
        }
        ExposureReport report = SecurityAssessor.assess(
                TestUnitFiles.load(file, release.root(), release.offlineInstance()), version);
        List<String> differences = SystemdAnalyzeSecurity.differences(expected, report);
        if (!differences.isEmpty()) {
            fail(where + " (" + report.unit() + "): " + differences.size() + " difference(s) from systemd-analyze "
                    + "of systemd " + version + ":\n  " + String.join("\n  ", differences));
        }
        COMPARED.incrementAndGet();
    }

    /** One batch run of the release's systemd-analyze over all its files, made on first use. */
    private static Map<Path, SystemdAnalyzeSecurity.Output> outputs(SystemdAnalyzeSecurity.Release release) {
        return OUTPUTS.computeIfAbsent(release.version(), v -> {
            try {
                Path fixtures = fixtures();
                List<Path> files = Stream.concat(TestUnitFiles.services(release.units()).stream(),
                        TestUnitFiles.services(fixtures).stream()).toList();
                return SystemdAnalyzeSecurity.analyzeAll(release, fixtures, files);
            } catch (IOException e) {
                throw new UncheckedIOException("systemd " + v + ": cannot run systemd-analyze", e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
