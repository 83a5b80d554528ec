package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.host.HostBinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
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

    @Test
    void throughBinds_realBinary_commandPresentOnlyInTheBoundHostDirectoryIsNotReported() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "no " + SYSTEMD_ANALYZE + " on this machine");
        String missing = "/tmp/unitguard-verify-" + ProcessHandle.current().pid() + "/tool";
        assumeTrue(!Files.exists(Path.of(missing)), missing + " exists on this machine");
        Path hostTmp = Files.createDirectories(dir.resolve("host-tmp"));
        Path unit = Files.writeString(dir.resolve("x.service"), "[Service]\nExecStart=" + missing + " --flag\n");
        UnitVerifier plain = UnitVerifier.systemdAnalyze(SYSTEMD_ANALYZE);
        UnitVerifier bound = plain.throughBinds(new HostBinds(Map.of("/tmp", hostTmp)));

        List<String> unbound = plain.verify(unit);
        assertEquals(1, unbound.stream().filter(l -> UnitVerifier.MISSING_COMMAND.matcher(l).find()).count(),
                "the pattern no longer matches systemd-analyze's line: " + unbound);
        assertEquals(unbound, bound.verify(unit), "absent on the host too: still reported");

        Path tool = Files.createDirectories(hostTmp.resolve(Path.of(missing).getParent().getFileName()))
                .resolve("tool");
        Files.writeString(tool, "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(List.of(), bound.verify(unit));
        assertEquals(unbound, plain.verify(unit), "without the binds the agent's own /tmp is judged");
    }

    @Test
    void throughBinds_onlyMissingCommandsPresentAndExecutableOnTheHostAreDropped() throws Exception {
        Path hostTmp = Files.createDirectories(dir.resolve("host-tmp/bin"));
        Files.setPosixFilePermissions(Files.writeString(hostTmp.resolve("tool"), "x"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(Files.writeString(hostTmp.resolve("data"), "x"),
                PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(hostTmp.resolve("link"), hostTmp.resolve("tool"));
        List<String> said = List.of(
                "x.service: Command /tmp/bin/tool is not executable: No such file or directory",
                "x.service: Command /tmp/bin/data is not executable: No such file or directory",
                "x.service: Command /tmp/bin/link is not executable: No such file or directory",
                "x.service: Command /tmp/bin/gone is not executable: No such file or directory",
                "x.service: Command /tmp/bin/../../usr/x is not executable: No such file or directory",
                "x.service: Command /usr/bin/nope is not executable: No such file or directory",
                "x.service:3: Unknown key name 'Foo' in section 'Service', ignoring.");
        UnitVerifier verifier = ((UnitVerifier) file -> said)
                .throughBinds(new HostBinds(Map.of("/tmp", dir.resolve("host-tmp"))));

        assertEquals(said.subList(1, said.size()), verifier.verify(dir.resolve("x.service")));
        UnitVerifier none = file -> said;
        assertEquals(said, none.throughBinds(HostBinds.NONE).verify(dir.resolve("x.service")));
    }

    private Path script(String body) throws Exception {
        Path file = Files.writeString(dir.resolve("systemd-analyze"), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
