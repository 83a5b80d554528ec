package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

    @TempDir
    Path dir;

    @Test
    void score_manyFiles_oneRowEachMatchingSystemdAnalyze() throws Exception {
        Path hardened = Files.writeString(dir.resolve("hardened.service"), """
                [Service]
                ExecStart=/usr/bin/true
                DynamicUser=yes
                PrivateNetwork=yes
                ProtectHome=yes
                """);
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");
        CliRun run = CliRun.of("score", hardened.toString(), plain.toString());
        assertEquals(0, run.status(), run.err());
        String[] lines = run.out().split("\n");
        assertEquals(4, lines.length, run.out());
        assertEquals("systemd " + hostVersion() + ", offline (as systemd-analyze security --offline=true)", lines[0]);
        assertEquals("UNIT              EXPOSURE  PREDICATE", lines[1]);
        assertEquals("hardened.service  " + systemdAnalyze(hardened), lines[2].replaceAll(" +", " ")
                .replaceFirst("hardened.service ", "hardened.service  "));
        assertEquals("plain.service " + systemdAnalyze(plain), lines[3].replaceAll(" +", " "));
    }

    @Test
    void score_json_listsEveryCheckWithItsExposure() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");
        CliRun run = CliRun.of("score", "--json", plain.toString());
        assertEquals(0, run.status(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(1, json.size());
        assertEquals("plain.service", json.get(0).get("unit").asText());
        assertEquals(hostVersion().number(), json.get(0).get("systemdVersion").asInt());
        assertEquals("offline", json.get(0).get("mode").asText());
        assertEquals("UNSAFE", json.get(0).get("predicate").asText());
        assertTrue(json.get(0).get("checks").size() > 70, "systemd 252 has about 80 checks");
        JsonNode first = json.get(0).get("checks").get(0);
        assertTrue(first.has("id") && first.has("exposure"), first.toString());
    }

    @Test
    void score_oneUnreadableFile_reportsItScoresTheRestAndExitsTwo() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");
        Path missing = dir.resolve("missing.service");
        CliRun run = CliRun.of("score", missing.toString(), plain.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: " + missing + ": no such file\n", run.err());
        assertTrue(run.out().contains("plain.service"), run.out());
    }

    @Test
    void score_onlyUnreadableFiles_printsNoTable() {
        CliRun run = CliRun.of("score", dir.resolve("missing.service").toString());
        assertEquals(2, run.status());
        assertEquals("", run.out());
    }

    @Test
    void score_rootThatDoesNotExist_exitsTwoNamingIt() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");
        CliRun run = CliRun.of("score", "--root", "/nonexistent-root", plain.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: --root /nonexistent-root: no such directory\n", run.err());
    }

    @Test
    void score_unknownCommand_exitsTwoWithHint() {
        CliRun run = CliRun.of("frobnicate");
        assertEquals(2, run.status());
        assertEquals("unitguard: Unmatched argument at index 0: 'frobnicate'\nTry 'unitguard --help'.\n", run.err());
    }

    @Test
    void score_refusedBySystemd_exitsTwoWithSystemdsMessage() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.service"), "[Service]\nExecStart=/usr/bin/true\nUser=%Z\n");
        CliRun run = CliRun.of("score", bad.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: " + bad + ":3: Failed to resolve unit specifiers in %Z: Invalid slot\n", run.err());
    }

    @Test
    void score_systemdVersionOption_modelsThatRelease() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");

        JsonNode v252 = new ObjectMapper().readTree(CliRun.of("score", "--json", "--systemd-version", "252",
                plain.toString()).out()).get(0);
        JsonNode v257 = new ObjectMapper().readTree(CliRun.of("score", "--json", "--systemd-version", "257",
                plain.toString()).out()).get(0);

        assertEquals(252, v252.get("systemdVersion").asInt());
        assertEquals(257, v257.get("systemdVersion").asInt());
        assertEquals("false", privateMounts(v252).get("set").asText(), "252: PrivateMounts= is off when unset");
        assertEquals("true", privateMounts(v257).get("set").asText(), "257: PrivateMounts= is on when unset");
    }

    @Test
    void score_unsupportedSystemdVersion_warnsNamingBothAndModelsTheNearestLower() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");

        CliRun run = CliRun.of("score", "--systemd-version", "259", plain.toString());

        assertEquals(0, run.status(), run.err());
        assertEquals("unitguard: warning: systemd 259 is not supported; modelled as systemd 257 (the nearest lower "
                + "supported version)\n", run.err());
        assertTrue(run.out().startsWith("systemd 257, offline"), run.out());
    }

    @Test
    void score_badSystemdVersion_exitsTwoNamingTheOption() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");

        CliRun run = CliRun.of("score", "--systemd-version", "latest", plain.toString());

        assertEquals(2, run.status());
        assertEquals("unitguard: --systemd-version: not a systemd version: 'latest'\n", run.err());
    }

    @Test
    void score_rootWithSystemd_modelsTheRootsRelease() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path lib = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu/systemd"));
        Files.createFile(lib.resolve("libsystemd-shared-262.so"));
        Path plain = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");

        CliRun run = CliRun.of("score", "--root", root.toString(), plain.toString());

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("systemd 262, offline"), run.out());
    }

    private static JsonNode privateMounts(JsonNode report) {
        for (JsonNode check : report.get("checks")) {
            if (check.get("id").asText().equals("PrivateMounts=")) {
                return check;
            }
        }
        throw new AssertionError("no PrivateMounts= check in " + report);
    }

    private static dev.unitguard.unit.SystemdVersion hostVersion() throws IOException {
        return dev.unitguard.unit.SystemdVersion.ofRoot(Path.of("/")).orElse(
                dev.unitguard.unit.SystemdVersion.V252).modelled().model();
    }

    /** "9.6 UNSAFE" as systemd-analyze security --offline=true prints it. */
    private static String systemdAnalyze(Path unit) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed");
        Process p = new ProcessBuilder("systemd-analyze", "security", "--offline=true", unit.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) (\\w+)").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1) + " " + m.group(2);
    }
}
