package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unitguard score --fail-on-predicate NAME}: a rating, a check of systemd's table, or a setting. */
class ScoreFailOnPredicateTest {

    @TempDir
    Path dir;

    private Path unit(String name, String service) throws Exception {
        return Files.writeString(dir.resolve(name), "[Service]\nExecStart=/usr/bin/true\n" + service);
    }

    @Test
    void check_notFullyMet_exitsOneNamingCheck_metPasses() throws Exception {
        Path open = unit("open.service", "");
        Path closed = unit("closed.service", "PrivateNetwork=yes\n");

        CliRun run = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate", "PrivateNetwork",
                open.toString(), closed.toString());

        assertEquals("unitguard: open.service: --fail-on-predicate PrivateNetwork: PrivateNetwork= Service has access "
                + "to the host's network (+0.5)\n", run.err());
        assertEquals(1, run.status());
    }

    @Test
    void check_byIdOrJsonField_sameCheck() throws Exception {
        Path open = unit("open.service", "");

        CliRun byId = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate=SystemCallFilter=~@swap",
                open.toString());
        CliRun byField = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate", "SystemCallFilter_swap",
                open.toString());

        assertEquals("unitguard: open.service: --fail-on-predicate SystemCallFilter=~@swap: SystemCallFilter=~@swap "
                + "Service does not filter system calls (+0.2)\n", byId.err());
        assertEquals(byId.err().replace("predicate SystemCallFilter=~@swap:", "predicate SystemCallFilter_swap:"),
                byField.err());
    }

    @Test
    void setting_lessTightFails_asTightOrTighterPasses() throws Exception {
        Path full = unit("full.service", "ProtectSystem=full\n");
        Path strict = unit("strict.service", "ProtectSystem=strict\n");
        Path home = unit("home.service", "ProtectHome=yes\n");

        CliRun run = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate", "ProtectSystem=strict",
                full.toString(), strict.toString());
        CliRun tighter = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate",
                "ProtectHome=read-only", home.toString());

        assertEquals("unitguard: full.service: --fail-on-predicate ProtectSystem=strict: ProtectSystem= Service has "
                + "very limited write access to the OS file hierarchy (+0.1); with ProtectSystem=strict: met\n",
                run.err());
        assertEquals(1, run.status());
        assertEquals(0, tighter.status(), "ProtectHome=yes is tighter than read-only: " + tighter.err());
    }

    @Test
    void rating_thatOneOrWorseFails() throws Exception {
        Path open = unit("open.service", "");
        String rating = CliRun.of("score", "--systemd-version", "252", open.toString()).out().lines()
                .filter(l -> l.startsWith("open.service")).findFirst().orElseThrow().split(" +")[2];

        CliRun same = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate", rating.toLowerCase(),
                open.toString());
        CliRun worse = CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate", "DANGEROUS",
                open.toString());

        assertEquals(1, same.status(), same.err());
        assertEquals(0, worse.status(), "UNSAFE is better than DANGEROUS: " + worse.err());
    }

    @Test
    void unknownNames_usageErrorsNamingTheOption() throws Exception {
        Path open = unit("open.service", "");

        assertEquals("unitguard: --fail-on-predicate Bogus: not a predicate (DANGEROUS, UNSAFE, EXPOSED, MEDIUM, OK, "
                + "SAFE, PERFECT), a check of systemd 252's systemd-analyze security (for example PrivateNetwork or "
                + "SystemCallFilter=~@swap) or a setting such as ProtectSystem=strict\n",
                CliRun.of("score", "--systemd-version", "252", "--fail-on-predicate", "Bogus", open.toString()).err());
        assertEquals("unitguard: --fail-on-predicate ExecStart=/bin/x: ExecStart= does not change the exposure score; "
                + "name a check or a setting the score reads\n",
                CliRun.of("score", "--fail-on-predicate", "ExecStart=/bin/x", open.toString()).err());
        CliRun badValue = CliRun.of("score", "--fail-on-predicate", "ProtectSystem=bananas", open.toString());
        assertEquals(2, badValue.status());
        assertEquals("unitguard: --fail-on-predicate ProtectSystem=bananas: Failed to parse protect system value, "
                + "ignoring: bananas\n", badValue.err());
        assertEquals("unitguard: --format xml: expected text, json or sarif\n",
                CliRun.of("score", "--format", "xml", open.toString()).err());
        assertEquals("unitguard: --json and --format sarif contradict each other\n",
                CliRun.of("score", "--json", "--format", "sarif", open.toString()).err());
        assertEquals("unitguard: --threshold 11: expected 0.0 to 10.0\n",
                CliRun.of("score", "--threshold", "11", open.toString()).err());
    }
}
