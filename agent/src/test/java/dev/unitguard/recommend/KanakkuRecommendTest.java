package dev.unitguard.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.check.CheckReport;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.Access;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.TestHost;
import dev.unitguard.sandbox.UnitFixtures;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field reports' story (../shared/context/): kanakku's admin server broke under ProtectSystem=strict,
 * PrivateDevices=yes and ProtectHome=yes, and the team switched every protection off. The recommendation for the
 * same unit and the two needs keeps /var/lib/kanakku writable and the SSH key readable, at a lower exposure.
 */
class KanakkuRecommendTest {

    /** The team's final unit: the candidate with every protection off (field report 000). */
    static final String EVERYTHING_OFF = """
            [Service]
            PrivateTmp=false
            ProtectSystem=false
            NoNewPrivileges=false
            PrivateDevices=false
            ProtectHome=false
            """;

    @TempDir
    Path root;
    TestHost host;
    Requirements needs;
    EffectiveUnit unit;

    @BeforeEach
    void kanakkuTree() {
        assumeTrue(TestHost.isRoot(), "the tree has files owned by kanakku: chown needs root");
        host = TestHost.standard(root);
        // what a real host has and the kernel protections bind or hide (the standard tree leaves them out)
        host.dir("/sys/fs/cgroup", 0555).dir("/proc/sys/kernel", 0555).file("/proc/sys/kernel/hostname", 0644, "")
                .file("/proc/sys/kernel/domainname", 0644, "").file("/proc/kmsg", 0400, "");
        host.kanakku();
        needs = new Requirements(Optional.empty(), Optional.empty(), List.of(
                new PathRequirement("/var/lib/kanakku", Access.parse("rw"), false),
                new PathRequirement("/home/kanakku/.ssh/id_rsa", Access.parse("r"), true)), List.of());
        unit = UnitFixtures.load("kanakku.service");
    }

    @Test
    void recommend_kanakku_keepsStateWritableAndKeyReadable_belowEverythingOff() throws Exception {
        Recommendation r = new Recommender(host.view()).recommend(unit, needs);

        assertTrue(r.ok(), () -> "unmet: " + r.unmet());
        CheckReport check = CheckReport.sandbox(host.view(), unit, r.directives().assignments(unit), needs);
        assertTrue(check.ok(), () -> "the static check refuses the recommended set: " + check);
        assertEquals(List.of(true, true), check.requirements().stream().map(RequirementVerdict::ok).toList());
        BigDecimal off = SecurityAssessor.assess(UnitFixtures.withDropIn(unit, EVERYTHING_OFF)).exposure();
        assertTrue(r.exposure().after().compareTo(off) < 0, () -> r.exposure().after() + " is not below " + off);
        assertEquals(check.exposure().after(), r.exposure().after());
    }

    @Test
    void check_candidateDeniesBoth_suggestionsGrantEachAndAreReevaluated() throws Exception {
        EffectiveUnit fixedStart = UnitFixtures.withDropIn(unit, "[Service]\nReadWritePaths=\n");
        CheckReport report = CheckReport.run(host.view(), fixedStart, List.of(), needs);

        assertEquals(List.of(
                new Suggestions.Suggestion(0, "/var/lib/kanakku", "rw", java.util.Map.of("StateDirectory", "kanakku",
                        "StateDirectoryMode", "0750"), "/var/lib/kanakku is already the service's (owner and group): "
                        + "systemd keeps them and, with StateDirectoryMode=0750, its mode"),
                new Suggestions.Suggestion(0, "/var/lib/kanakku", "rw", java.util.Map.of("ReadWritePaths",
                        "-/var/lib/kanakku"), "")),
                report.suggestions().stream().filter(s -> s.requirement() == 0).limit(2).toList());
        for (Suggestions.Suggestion s : report.suggestions()) {
            List<dev.unitguard.unit.DropInDirectives.Directive> set = new java.util.ArrayList<>();
            s.set().forEach((k, v) -> set.add(new dev.unitguard.unit.DropInDirectives.Directive(k, (String) v)));
            CheckReport with = CheckReport.sandbox(host.view(), fixedStart, dev.unitguard.unit.DropInDirectives.parse(
                    EffectiveUnit.CANDIDATE_DROP_IN, "service", set), needs);
            assertTrue(with.startup().ok() && with.requirements().get(s.requirement()).ok(), s::toString);
        }
        assertTrue(report.suggestions().stream().anyMatch(s -> s.requirement() == 1
                && s.set().equals(java.util.Map.of("ProtectHome", "read-only"))), report.suggestions()::toString);
    }

    /** A need no directive denies (file permissions) gets no suggestion, and the check still answers. */
    @Test
    void check_needDeniedByPermissions_answersWithoutSuggestion() throws Exception {
        host.file("/srv/secret.key", 0600, "x\n");
        Requirements secret = new Requirements(Optional.empty(), Optional.empty(), List.of(
                new PathRequirement("/srv/secret.key", Access.parse("r"), false)), List.of());

        EffectiveUnit fixedStart = UnitFixtures.withDropIn(unit, "[Service]\nReadWritePaths=\n");
        CheckReport report = CheckReport.run(host.view(), fixedStart,
                dev.unitguard.unit.DropInDirectives.parse(EffectiveUnit.CANDIDATE_DROP_IN, "service",
                        List.of(new dev.unitguard.unit.DropInDirectives.Directive("ProtectSystem", "strict"))), secret);

        assertTrue(report.startup().ok(), report::toString);
        assertEquals("permissions", report.requirements().get(0).deniedBy(), report::toString);
        assertEquals(List.of(), report.suggestions());
    }
}
