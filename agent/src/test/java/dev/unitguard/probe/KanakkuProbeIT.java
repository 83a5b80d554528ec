package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kanakku story for real: the packaged CLI runs inside the lab ({@code /opt/unitguard/unitguard.jar}) with
 * {@code check --probe --json} against the lab's own systemd. The candidate sandbox fails with 226 in the probe as
 * the static check predicts; the fixing drop-in passes both.
 */
@LabTest
class KanakkuProbeIT {

    private static final String UNIT = """
            [Unit]
            Description=kanakku

            [Service]
            ExecStart=/usr/bin/true
            User=kanakku
            ProtectSystem=strict
            PrivateDevices=yes
            ProtectHome=yes
            ReadWritePaths=/var/lib/kanakku/cache
            """;

    private static final String MANIFEST = """
            { "paths": [ {"path": "/home/kanakku/.ssh/id_rsa", "access": "r", "secret": true},
                         {"path": "/var/lib/kanakku", "access": "rw"} ] }
            """;

    private Lab lab;

    @BeforeEach
    void kanakkuHost(Lab lab) {
        this.lab = lab;
        if (lab.exec("id", "kanakku").succeeded()) {
            return;
        }
        lab.exec("useradd", "--system", "--user-group", "--home-dir", "/home/kanakku", "--shell",
                "/usr/sbin/nologin", "kanakku").requireSuccess();
        lab.writeFile("/home/kanakku/.ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n", "600", "kanakku:kanakku");
        lab.exec("sh", "-c", "chown -R kanakku:kanakku /home/kanakku && chmod 700 /home/kanakku/.ssh"
                + " && mkdir -p /var/lib/kanakku && chown kanakku:kanakku /var/lib/kanakku"
                + " && chmod 750 /var/lib/kanakku").requireSuccess();
        lab.writeFile("/root/kanakku.service", UNIT, "644", "root:root");
        lab.writeFile("/root/kanakku.requires.json", MANIFEST, "644", "root:root");
    }

    @Test
    void checkProbe_candidateSandbox_fails226ForRealAsPredicted() throws Exception {
        ExecResult run = cli();

        assertEquals(1, run.exitCode(), run.stderr());
        JsonNode json = new ObjectMapper().readTree(run.stdout());
        assertEquals(226, json.at("/startup/exitStatus").asInt());
        assertEquals(false, json.at("/probe/startup/ok").asBoolean());
        assertEquals(226, json.at("/probe/startup/exitStatus").asInt());
        assertEquals("NAMESPACE", json.at("/probe/startup/exitStatusName").asText());
        assertEquals("exited", json.at("/probe/startup/code").asText());
        String unit = json.at("/probe/unit").asText();
        assertEquals(unit + ": Failed to set up mount namespacing: /run/systemd/unit-root/var/lib/kanakku/cache: No "
                + "such file or directory", json.at("/probe/startup/journal").asText());
        assertEquals(0, json.at("/probe/requirements").size());
        assertEquals(true, json.get("agree").asBoolean());
        assertEquals("", lab.exec("systemctl", "list-units", "--all", "--no-legend", "unitguard-probe-*").stdout());
    }

    @Test
    void checkProbe_fixingDropIn_passesForRealAsPredicted() throws Exception {
        ExecResult run = cli("--set", "ProtectHome=read-only", "--set", "ReadWritePaths=-/var/lib/kanakku");

        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        JsonNode json = new ObjectMapper().readTree(run.stdout());
        assertEquals(true, json.get("ok").asBoolean());
        assertEquals(true, json.at("/startup/ok").asBoolean());
        assertEquals(true, json.at("/probe/startup/ok").asBoolean());
        assertEquals(0, json.at("/probe/startup/exitStatus").asInt());
        assertEquals(List.of("/home/kanakku/.ssh/id_rsa r true", "/var/lib/kanakku rw true"), observed(json));
        assertEquals(true, json.get("agree").asBoolean());
        assertEquals("", lab.exec("ls", "-A", "/var/lib/kanakku").stdout(), "the probe left a file behind");
    }

    @Test
    void checkProbe_humanOutput_showsObservedTable() {
        ExecResult run = lab.exec("java", "-jar", "/opt/unitguard/unitguard.jar", "check", "--probe", "--requires",
                "/root/kanakku.requires.json", "--set", "ProtectHome=read-only", "/root/kanakku.service");

        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("  probe unitguard-probe-kanakku-"), run.stdout());
        assertTrue(run.stdout().contains(": failed: exited status 226/NAMESPACE: unitguard-probe-kanakku-"),
                run.stdout());
    }

    private ExecResult cli(String... extra) {
        List<String> command = new ArrayList<>(List.of("java", "-jar", "/opt/unitguard/unitguard.jar", "check",
                "--probe", "--json", "--requires", "/root/kanakku.requires.json"));
        command.addAll(List.of(extra));
        command.add("/root/kanakku.service");
        return lab.exec(command.toArray(String[]::new));
    }

    private static List<String> observed(JsonNode json) {
        List<String> out = new ArrayList<>();
        json.at("/probe/requirements").forEach(o -> out.add(o.get("path").asText() + " " + o.get("access").asText()
                + " " + o.get("ok").asBoolean()));
        return out;
    }
}
