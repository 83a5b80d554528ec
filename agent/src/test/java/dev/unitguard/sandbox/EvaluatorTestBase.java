package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up: a standard host tree in a temporary root, and short assertions on verdicts. */
abstract class EvaluatorTestBase {

    @TempDir
    Path root;
    TestHost host;

    @BeforeEach
    void createHost() {
        host = TestHost.standard(root);
    }

    Verdict evaluate(String fixture, PathRequirement... paths) {
        try {
            return new StaticEvaluator(host.view()).evaluate(UnitFixtures.load(fixture),
                    new Requirements(Optional.empty(), Optional.empty(), List.of(paths), List.of()));
        } catch (UnknownIdentity e) {
            throw new AssertionError("no manifest user or group, yet: " + e.getMessage(), e);
        }
    }

    static PathRequirement need(String path, String access) {
        return new PathRequirement(path, Access.parse(access), false);
    }

    static void assertStarts(Verdict verdict) {
        assertTrue(verdict.startup().ok(), () -> "expected a start, got " + verdict.startup());
    }

    static void assertFails(Verdict verdict, int status, String name, String reason) {
        assertEquals(new StartupVerdict(false, status, name, reason), verdict.startup());
    }

    static void assertGranted(RequirementVerdict verdict) {
        assertTrue(verdict.ok(), () -> "expected granted, got " + verdict);
    }

    static void assertDenied(RequirementVerdict verdict, String deniedBy) {
        assertEquals(deniedBy, verdict.deniedBy(), () -> "verdict was " + verdict);
    }
}
