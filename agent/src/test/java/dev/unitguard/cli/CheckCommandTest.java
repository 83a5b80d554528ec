package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.probe.ProbeResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kanakku story from the field reports, through the command line exactly as a deploy script runs it. */
class CheckCommandTest {

    private static final String KANAKKU_UNIT = """
            [Unit]
            Description=kanakku admin server

            [Service]
            User=kanakku
            ExecStart=/usr/bin/true
            ProtectSystem=strict
            PrivateDevices=yes
            ProtectHome=yes
            ReadWritePaths=/var/lib/kanakku/cache
            """;

    private static final String MANIFEST = """
            { "user": "kanakku", "group": "kanakku",
              "paths": [ {"path": "/var/lib/kanakku", "access": "rw"},
                         {"path": "/home/kanakku/.ssh/id_rsa", "access": "r"} ] }
            """;

    @TempDir
    Path dir;
    private Path root;
    private Path unit;
    private Path manifest;

    @BeforeEach
    void kanakkuHost() throws IOException {
        root = dir.resolve("root");
        for (String d : new String[] {"etc", "proc", "sys", "dev", "run", "tmp", "var/tmp", "usr/bin", "root"}) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\nkanakku:x:1500:1500::/home/kanakku:/usr/sbin/nologin\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nkanakku:x:1500:\n");
        Path bin = Files.copy(Path.of("/usr/bin/true"), root.resolve("usr/bin/true"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path key = root.resolve("home/kanakku/.ssh/id_rsa");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(root.resolve("var/lib/kanakku"));
        unit = Files.writeString(dir.resolve("kanakku.service"), KANAKKU_UNIT);
        manifest = Files.writeString(dir.resolve("kanakku.requires.json"), MANIFEST);
    }

    private void ownedByKanakku() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "files owned by kanakku need chown: run as root");
        for (String p : new String[] {"home/kanakku", "home/kanakku/.ssh", "home/kanakku/.ssh/id_rsa",
                "var/lib/kanakku"}) {
            Files.setAttribute(root.resolve(p), "unix:uid", 1500);
            Files.setAttribute(root.resolve(p), "unix:gid", 1500);
        }
    }

    @Test
    void printProbe_needsAndWhatItCouldNotSee_afterTheObservedTable() {
        StringWriter text = new StringWriter();
        CheckCommand.printProbe(new PrintWriter(text, true), new ProbeResult("unitguard-probe-redis-1.service",
                new ProbeResult.Startup(true, "success", "exited", 0, "SUCCESS", null),
                List.of(new ProbeResult.Observation("/etc/redis/redis.conf", "r", true, null)),
                List.of(new ProbeResult.Need("listen tcp 127.0.0.1:6379", false, "listens on tcp 127.0.0.1:6379, "
                        + "unreachable from the host")),
                List.of("network needs under RestrictAddressFamilies=: not tested by the probe")));

        assertEquals("""
                  probe unitguard-probe-redis-1.service: started
                  PATH                   ACCESS  OBSERVED  ERROR
                  /etc/redis/redis.conf  r       ok        -
                  NEED                       OBSERVED  SEEN
                  listen tcp 127.0.0.1:6379  DENIED    listens on tcp 127.0.0.1:6379, unreachable from the host
                  not seen by the probe: network needs under RestrictAddressFamilies=: not tested by the probe
                """, text.toString());
    }

    @Test
    void check_kanakkuCandidate_reportsNamespaceFailureAndHiddenKey() throws IOException {
        ownedByKanakku();
        CliRun run = CliRun.of("check", "--json", "--root", root.toString(), "--requires", manifest.toString(),
                unit.toString());
        assertEquals(1, run.status(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("kanakku.service", json.get("unit").asText());
        assertEquals(false, json.get("ok").asBoolean());
        assertEquals(226, json.at("/startup/exitStatus").asInt());
        assertEquals("NAMESPACE", json.at("/startup/exitStatusName").asText());
        assertEquals("/home/kanakku/.ssh/id_rsa", json.at("/requirements/1/path").asText());
        assertEquals(false, json.at("/requirements/1/ok").asBoolean());
        assertEquals("ProtectHome=yes", json.at("/requirements/1/deniedBy").asText());
    }

    @Test
    void check_kanakkuWithFix_passesAndExitsZero() throws IOException {
        ownedByKanakku();
        CliRun run = CliRun.of("check", "--json", "--root", root.toString(), "--requires", manifest.toString(),
                "--set", "ProtectHome=read-only", "--set", "ReadWritePaths=-/var/lib/kanakku", unit.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(true, json.get("ok").asBoolean());
        assertEquals(true, json.at("/startup/ok").asBoolean());
        assertTrue(json.at("/startup/exitStatus").isNull());
        assertEquals(true, json.at("/requirements/0/ok").asBoolean());
        assertEquals(true, json.at("/requirements/1/ok").asBoolean());
        // ProtectHome=read-only is weaker than yes: systemd-analyze gives it a higher exposure.
        assertTrue(json.at("/exposure/after").decimalValue().compareTo(json.at("/exposure/before").decimalValue()) > 0);
    }

    @Test
    void check_probeWithoutSystemd_exitsTwoNamingTheAddress() {
        CliRun run = CliRun.of("check", "--probe", "--bus", "unix:path=" + dir.resolve("no-bus"), "--root",
                root.toString(), "--requires", manifest.toString(), unit.toString());
        assertEquals(2, run.status(), run.out());
        assertEquals("unitguard: no systemd reachable at unix:path=" + dir.resolve("no-bus")
                + ": Failed to connect to bus: No such file or directory\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void check_probeTimeoutZero_exitsTwo() {
        CliRun run = CliRun.of("check", "--probe", "--probe-timeout", "0", "--root", root.toString(), "--requires",
                manifest.toString(), unit.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: --probe-timeout must be a positive number of seconds, got 0\n", run.err());
    }

    @Test
    void check_humanOutput_namesStatusDirectiveAndPath() throws IOException {
        ownedByKanakku();
        CliRun run = CliRun.of("check", "--root", root.toString(), "--requires", manifest.toString(),
                unit.toString());
        assertEquals(1, run.status());
        assertTrue(run.out().startsWith("kanakku.service: NOT OK\n"), run.out());
        assertTrue(run.out().contains("  startup: fails with status 226/NAMESPACE: Failed to set up mount namespacing:"
                + " /run/systemd/unit-root/var/lib/kanakku/cache: No such file or directory"), run.out());
        assertTrue(run.out().contains("/home/kanakku/.ssh/id_rsa  r       DENIED  ProtectHome=yes"), run.out());
    }

    @Test
    void check_unknownCandidateDirective_exitsTwoNamingIt() {
        CliRun run = CliRun.of("check", "--root", root.toString(), "--requires", manifest.toString(),
                "--set", "ProtectSytem=strict", unit.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: --set ProtectSytem=strict: Unknown key 'ProtectSytem' in section [Service]\n",
                run.err());
        assertEquals("", run.out());
    }

    @Test
    void check_valueSystemdWouldIgnore_exitsOneSayingItWouldRunWithout() throws IOException {
        ownedByKanakku();
        CliRun run = CliRun.of("check", "--root", root.toString(), "--requires", manifest.toString(),
                "--set", "ProtectHome=read-only", "--set", "ReadWritePaths=-/var/lib/kanakku",
                "--set", "ProtectSystem=banana", unit.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().startsWith("kanakku.service: NOT OK\n"), run.out());
        assertTrue(run.out().contains("  warning: systemd would ignore ProtectSystem=banana and run without it"
                + " (Failed to parse protect system value, ignoring: banana)\n"), run.out());
    }

    @Test
    void check_valueSystemdWouldIgnoreAsJson_isNotOkWithTheWarningFirst() throws IOException {
        ownedByKanakku();
        CliRun run = CliRun.of("check", "--json", "--root", root.toString(), "--requires", manifest.toString(),
                "--set", "ProtectHome=read-only", "--set", "ReadWritePaths=-/var/lib/kanakku rel",
                unit.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(false, json.get("ok").asBoolean());
        assertEquals(true, json.at("/startup/ok").asBoolean());
        assertEquals("systemd would ignore part of ReadWritePaths=-/var/lib/kanakku rel"
                + " (ReadWritePaths= path is not absolute, ignoring: rel)", json.at("/warnings/0").asText());
    }

    @Test
    void check_setWithoutEquals_exitsTwo() {
        CliRun run = CliRun.of("check", "--requires", manifest.toString(), "--set", "ProtectSystem", unit.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: --set ProtectSystem: expected KEY=VALUE\n", run.err());
    }

    @Test
    void check_manifestWithUnknownField_exitsTwoNamingField() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"pathz\": []}");
        CliRun run = CliRun.of("check", "--requires", bad.toString(), unit.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: bad.json: $.pathz: unknown field (known: capabilities, devices, group, learned, network, paths, syscalls, user)\n", run.err());
    }

    @Test
    void check_manifestNamingUnknownUser_exitsTwoNamingUser() throws IOException {
        Path bad = Files.writeString(dir.resolve("ghost.json"), "{\"user\": \"ghost\", \"paths\": []}");
        CliRun run = CliRun.of("check", "--root", root.toString(), "--requires", bad.toString(), unit.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: " + bad + ": unknown user \"ghost\"\n", run.err());
    }

    @Test
    void check_missingUnitFile_exitsTwoNamingFile() {
        Path missing = dir.resolve("nope.service");
        CliRun run = CliRun.of("check", "--requires", manifest.toString(), missing.toString());
        assertEquals(2, run.status());
        assertEquals("unitguard: " + missing + ": no such file\n", run.err());
    }

    @Test
    void check_withoutRequires_exitsTwoWithUsageHint() {
        CliRun run = CliRun.of("check", unit.toString());
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("unitguard: Missing required option: '--requires=FILE'\n"), run.err());
    }
}
