package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.unit.EffectiveUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LabTest
class ProbeIT {

    private Lab lab;
    private SystemdClient client;
    private Probe probe;

    @BeforeEach
    void connect(Lab lab) {
        this.lab = lab;
        client = SystemdClient.forAddress(lab.systemBusAddress(), Duration.ofSeconds(10), Duration.ofSeconds(30));
        probe = new Probe(client, LabJournal.of(lab), lab.root(), Duration.ofSeconds(20));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void run_strictSandboxAsNobody_reportsWhatTheKernelSaid() throws Exception {
        lab.writeFile("/srv/probeit/data.txt", "x\n", "644", "nobody:nogroup");
        EffectiveUnit unit = unit("app.service", "User", "nobody", "ProtectSystem", "strict",
                "ReadWritePaths", "/srv/probeit");

        ProbeResult result = probe.run(unit, List.of(), needs(List.of("/etc/passwd:r", "/etc/shadow:r",
                "/srv/probeit/data.txt:rw", "/srv/probeit/new.db:rw", "/var/lib/x.db:w", "/usr/bin/true:x",
                "/etc/passwd:x"), List.of("/dev/null", "/dev/net/tun")));

        assertTrue(result.startup().ok(), result.toString());
        assertEquals(0, result.startup().exitStatus());
        assertEquals(List.of(
                new ProbeResult.Observation("/etc/passwd", "r", true, null),
                new ProbeResult.Observation("/etc/shadow", "r", false, "r: Permission denied"),
                new ProbeResult.Observation("/srv/probeit/data.txt", "rw", true, null),
                new ProbeResult.Observation("/srv/probeit/new.db", "rw", false, "w: Permission denied"),
                new ProbeResult.Observation("/var/lib/x.db", "w", false, "w: Read-only file system"),
                new ProbeResult.Observation("/usr/bin/true", "x", true, null),
                new ProbeResult.Observation("/etc/passwd", "x", false, "x: Permission denied"),
                new ProbeResult.Observation("/dev/null", "rw", true, null),
                new ProbeResult.Observation("/dev/net/tun", "rw", false, "rw: Permission denied")),
                result.requirements());
        assertEquals("", lab.exec("sh", "-c", "ls -A /srv/probeit | grep -v '^data.txt$'; cat /srv/probeit/data.txt"
                + " | grep -v '^x$'").stdout(), "the probe left files behind or changed data.txt");
    }

    @Test
    void run_missingReadWritePath_226WithTheJournalLine() throws Exception {
        EffectiveUnit unit = unit("app.service", "ProtectSystem", "strict", "ReadWritePaths", "/srv/missing");

        ProbeResult result = probe.run(unit, List.of(), needs(List.of("/etc/passwd:r"), List.of()));

        assertFalse(result.startup().ok());
        assertEquals(226, result.startup().exitStatus());
        assertEquals("NAMESPACE", result.startup().exitStatusName());
        assertEquals("exit-code", result.startup().result());
        assertEquals(result.unit() + ": Failed to set up mount namespacing: /run/systemd/unit-root/srv/missing: No "
                + "such file or directory", result.startup().journal());
        assertEquals(List.of(), result.requirements());
    }

    /**
     * With the agent's runtime directory there, the script prints to a file systemd opens before it builds the
     * sandbox (none of the sandbox's /run reaches it), read and removed afterwards: the same observations, none of
     * the script's lines in the journal; a failed start is still explained from the journal.
     */
    @Test
    void run_agentRuntimeDirectory_scriptPrintsToAFileOutsideTheSandbox() throws Exception {
        lab.exec("mkdir", "-m", "0755", "-p", "/run/unitguard").requireSuccess();
        try {
            EffectiveUnit unit = unit("app.service", "User", "nobody", "ProtectSystem", "strict",
                    "TemporaryFileSystem", "/run", "InaccessiblePaths", "-/run/unitguard");

            ProbeResult result = probe.run(unit, List.of(), needs(List.of("/etc/passwd:r", "/etc/shadow:r"),
                    List.of()));
            ProbeResult failed = probe.run(unit("app.service", "ProtectSystem", "strict", "ReadWritePaths",
                    "/srv/missing"), List.of(), needs(List.of("/etc/passwd:r"), List.of()));

            assertEquals(List.of(new ProbeResult.Observation("/etc/passwd", "r", true, null),
                    new ProbeResult.Observation("/etc/shadow", "r", false, "r: Permission denied")),
                    result.requirements(), result.toString());
            assertEquals("", lab.exec("ls", "-A", "/run/unitguard/probe").stdout(), "output files left behind");
            assertEquals("drwx------ root", lab.exec("stat", "-c", "%A %U", "/run/unitguard/probe").stdout().strip());
            assertTrue(LabJournal.messages(lab, result.unit()).stream().noneMatch(m -> m.contains(ProbeScript.MARK)),
                    "the script printed to the journal");
            assertEquals(226, failed.startup().exitStatus());
            assertEquals(failed.unit() + ": Failed to set up mount namespacing: /run/systemd/unit-root/srv/missing: "
                    + "No such file or directory", failed.startup().journal());
        } finally {
            lab.exec("rm", "-rf", "/run/unitguard");
        }
    }

    @Test
    void run_afterProbes_noProbeUnitLeftLoaded() throws Exception {
        EffectiveUnit failing = unit("app.service", "ProtectSystem", "strict", "ReadWritePaths", "/srv/missing");
        probe.run(failing, List.of(), Requirements.none());
        probe.run(unit("app.service", "PrivateTmp", "yes"), List.of(), Requirements.none());

        String units = lab.exec("systemctl", "list-units", "--all", "--no-legend", "unitguard-probe-*").stdout();

        assertEquals("", units);
    }

    @Test
    void run_noSystemdAtAddress_probeExceptionNamingTheAddress() {
        SystemdClient nowhere = SystemdClient.forAddress("unix:path=/nonexistent/bus", Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        Probe unreachable = new Probe(nowhere, LabJournal.of(lab), Path.of("/"), Duration.ofSeconds(5));

        ProbeException e = assertThrows(ProbeException.class,
                () -> unreachable.run(unit("app.service", "PrivateTmp", "yes"), List.of(), Requirements.none()));

        assertTrue(e.getMessage().startsWith("no systemd reachable at unix:path=/nonexistent/bus: "), e.getMessage());
        nowhere.close();
    }

    static EffectiveUnit unit(String name, String... keyValues) {
        EffectiveUnit.Builder builder = EffectiveUnit.builder(name).set("Service", "ExecStart", "/bin/true");
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.set("Service", keyValues[i], keyValues[i + 1]);
        }
        return builder.build();
    }

    static Requirements needs(List<String> pathsWithAccess, List<String> devices) {
        List<PathRequirement> paths = pathsWithAccess.stream().map(s -> s.split(":"))
                .map(f -> new PathRequirement(f[0], Access.parse(f[1]), false)).toList();
        return new Requirements(Optional.empty(), Optional.empty(), paths, devices);
    }

    @Test
    void journalOfLab_unknownUnit_empty() throws Exception {
        assertNull(ProbeOutcome.explanation(LabJournal.messages(lab, "no-such-unit.service")).orElse(null));
    }
}
