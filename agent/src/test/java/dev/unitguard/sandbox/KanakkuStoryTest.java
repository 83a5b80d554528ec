package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.host.Access;
import dev.unitguard.unit.EffectiveUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The story from the design: kanakku's candidate sandbox breaks start-up (its cache directory does not exist) and
 * hides the SSH key it needs; a drop-in with ProtectHome=read-only and ReadWritePaths=-/var/lib/kanakku fixes both.
 */
class KanakkuStoryTest extends EvaluatorTestBase {

    private Requirements needs;

    @BeforeEach
    void kanakkuTree() {
        assumeTrue(TestHost.isRoot(), "the tree has files owned by kanakku: chown needs root");
        host.kanakku();
        needs = new Requirements(Optional.empty(), Optional.empty(), List.of(
                new PathRequirement("/home/kanakku/.ssh/id_rsa", Access.parse("r"), true),
                new PathRequirement("/var/lib/kanakku/ledger.db", Access.parse("rw"), false)), List.of());
    }

    @Test
    void evaluate_candidateSandbox_failsWithNamespaceAndHidesTheKey() throws Exception {
        Verdict v = new StaticEvaluator(host.view()).evaluate(UnitFixtures.load("kanakku.service"), needs);
        assertFails(v, 226, "NAMESPACE", "Failed to set up mount namespacing: /run/systemd/unit-root"
                + "/var/lib/kanakku/cache: No such file or directory (ReadWritePaths=/var/lib/kanakku/cache)");
        assertDenied(v.requirements().get(0), "ProtectHome=yes");
        assertDenied(v.requirements().get(1), "ProtectSystem=strict");
    }

    @Test
    void evaluate_withFixingDropIn_everythingOk() throws Exception {
        EffectiveUnit fixed = UnitFixtures.withDropIn(UnitFixtures.load("kanakku.service"), """
                [Service]
                ProtectHome=read-only
                ReadWritePaths=-/var/lib/kanakku
                """);
        Verdict v = new StaticEvaluator(host.view()).evaluate(fixed, needs);
        assertStarts(v);
        assertGranted(v.requirements().get(0));
        assertGranted(v.requirements().get(1));
        org.junit.jupiter.api.Assertions.assertTrue(v.ok());
    }

    @Test
    void evaluate_keyReadableOnlyByRoot_deniedByPermissionsEvenWithReadOnlyHome() throws Exception {
        host.chown("/home/kanakku/.ssh/id_rsa", 0, 0);
        EffectiveUnit fixed = UnitFixtures.withDropIn(UnitFixtures.load("kanakku.service"), """
                [Service]
                ProtectHome=read-only
                ReadWritePaths=
                """);
        Verdict v = new StaticEvaluator(host.view()).evaluate(fixed, needs);
        assertStarts(v);
        assertDenied(v.requirements().get(0), "permissions");
    }
}
