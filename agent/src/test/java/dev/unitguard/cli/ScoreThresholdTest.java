package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unitguard score --threshold N}: a CI gate, exit 1 when a unit is more exposed than N. */
class ScoreThresholdTest {

    @TempDir
    Path dir;

    @Test
    void score_threshold_exitsOneNamingEachUnitAbove() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");
        Path hardened = Files.writeString(dir.resolve("hardened.service"), """
                [Service]
                ExecStart=/usr/bin/true
                DynamicUser=yes
                PrivateNetwork=yes
                ProtectHome=yes
                """);
        String plainScore = CliRun.of("score", plain.toString()).out().lines()
                .filter(l -> l.startsWith("plain.service")).findFirst().orElseThrow().split(" +")[1];

        CliRun gate = CliRun.of("score", "--threshold", "9.0", plain.toString(), hardened.toString());
        CliRun atScore = CliRun.of("score", "--threshold", plainScore, plain.toString());

        assertEquals(1, gate.status(), gate.err());
        assertEquals("unitguard: plain.service: exposure " + plainScore + " is above the threshold 9.0\n", gate.err());
        assertEquals(0, atScore.status(), "equal to the threshold passes, as in systemd-analyze: " + atScore.err());
    }
}
