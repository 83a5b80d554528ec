package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitVerifierTest {

    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path dir;

    @Test
    void systemdAnalyze_realBinary_goodUnitPassesBadUnitNamed() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "no " + SYSTEMD_ANALYZE + " on this machine");
        Path good = Files.writeString(dir.resolve("good.service"), "[Service]\nExecStart=/bin/true\n");
        Path bad = Files.writeString(dir.resolve("bad.service"), "[Service]\nExecStart=bin/true\n");
        UnitVerifier verifier = UnitVerifier.systemdAnalyze(SYSTEMD_ANALYZE);

        assertEquals(List.of(), verifier.verify(good));
        List<String> problems = verifier.verify(bad);
        assertFalse(problems.isEmpty());
        assertTrue(problems.stream().anyMatch(l -> l.contains("bad.service")), problems.toString());
    }

    @Test
    void systemdAnalyze_fails_bothStreamsNonBlankLinesInOrder() throws Exception {
        Path binary = script("echo first; echo; echo second >&2; echo third; exit 1");

        assertEquals(List.of("first", "second", "third"),
                UnitVerifier.systemdAnalyze(binary).verify(dir.resolve("x.service")));
    }

    @Test
    void systemdAnalyze_succeeds_noProblemsWhateverItPrints() throws Exception {
        Path binary = script("echo 'x.service: a warning'");

        assertEquals(List.of(), UnitVerifier.systemdAnalyze(binary).verify(dir.resolve("x.service")));
    }

    @Test
    void systemdAnalyze_failsSilently_exitStatusNamed() throws Exception {
        Path binary = script("exit 3");

        assertEquals(List.of(binary + " verify exited with 3"),
                UnitVerifier.systemdAnalyze(binary).verify(dir.resolve("x.service")));
    }

    @Test
    void systemdAnalyze_argumentsVerifyManNoFile() throws Exception {
        Path binary = script("echo \"$@\"; exit 1");

        assertEquals(List.of("verify --man=no " + dir.resolve("x.service")),
                UnitVerifier.systemdAnalyze(binary).verify(dir.resolve("x.service")));
    }

    @Test
    void systemdAnalyze_noBinary_noProblems() throws Exception {
        assertEquals(List.of(), UnitVerifier.systemdAnalyze(dir.resolve("missing")).verify(dir.resolve("x.service")));
    }

    private Path script(String body) throws Exception {
        Path file = Files.writeString(dir.resolve("systemd-analyze"), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
