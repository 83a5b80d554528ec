package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.Access;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.unit.UnitLoader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine in-process against a real systemd: the lab's bus, the lab's root as the file system, its journal. The
 * kanakku story: a script run as kanakku reads /home/kanakku/.ssh/id_rsa and appends under /var/lib/kanakku.
 */
@LabTest
class ApplyIT {

    private static final String UNIT = "kanakku.service";
    private static final Pattern OVERALL = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d) ");
    private static final Map<String, String> BREAKING = ordered("ProtectSystem", "strict", "ProtectHome", "yes",
            "PrivateDevices", "yes", "NoNewPrivileges", "yes", "ReadWritePaths", "/var/lib/kanakku/cache");
    private static final Map<String, String> FIXED = ordered("ProtectSystem", "strict", "ProtectHome", "read-only",
            "PrivateDevices", "yes", "NoNewPrivileges", "yes", "PrivateTmp", "yes",
            "ReadWritePaths", "-/var/lib/kanakku");
    private static final Requirements NEEDS = new Requirements(Optional.empty(), Optional.empty(), List.of(
            new PathRequirement("/home/kanakku/.ssh/id_rsa", Access.parse("r"), true),
            new PathRequirement("/var/lib/kanakku", Access.parse("rw"), false)), List.of());

    @TempDir
    Path state;
    private Lab lab;
    private SystemdClient client;
    private ApplyService service;

    @BeforeEach
    void kanakku(Lab lab) throws Exception {
        this.lab = lab;
        if (lab.exec("id", "kanakku").exitCode() != 0) {
            lab.exec("groupadd", "--system", "kanakku").requireSuccess();
            lab.exec("useradd", "--system", "-g", "kanakku", "--no-create-home", "--home-dir", "/home/kanakku",
                    "--shell", "/usr/sbin/nologin", "kanakku").requireSuccess();
        }
        lab.exec("sh", "-c", "mkdir -p /home/kanakku/.ssh /var/lib/kanakku && chown -R kanakku:kanakku "
                + "/home/kanakku /var/lib/kanakku && chmod 700 /home/kanakku/.ssh").requireSuccess();
        lab.writeFile("/home/kanakku/.ssh/id_rsa", "-----BEGIN KEY-----\n", "600", "kanakku:kanakku");
        lab.writeFile("/opt/kanakku/run.sh", """
                #!/bin/sh
                set -e
                while true; do
                  cat /home/kanakku/.ssh/id_rsa > /dev/null
                  date >> /var/lib/kanakku/ledger.log
                  sleep 0.2
                done
                """, "755", "root:root");
        lab.writeFile("/etc/systemd/system/" + UNIT, """
                [Unit]
                Description=kanakku admin server

                [Service]
                User=kanakku
                ExecStart=/opt/kanakku/run.sh
                """, "644", "root:root");
        lab.exec("rm", "-rf", "/etc/systemd/system/" + UNIT + ".d").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "restart", UNIT).requireSuccess();
        client = SystemdClient.forAddress(lab.systemBusAddress(), Duration.ofSeconds(10), Duration.ofSeconds(30));
        service = ApplyService.builder(SystemdPort.over(client))
                .settings(ApplySettings.defaults().withRoot(lab.root()).withStateDirectory(state))
                .journal(Journal.journalctl(List.of("nsenter", "-t", Long.toString(lab.pid()), "-a")))
                .health(HealthChecker.over(client, lab.root()))
                .unitVerifier(UnitVerifier.NONE)
                .build();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void kanakku_breakingCandidate_refusedWithReasonsAndNothingWritten() throws Exception {
        ApplyResult result = service.applyHardening(request(BREAKING, false), Caller.of("uid:0"));

        ApplyResult.Refused refused = assertInstanceOf(ApplyResult.Refused.class, result);
        assertEquals(226, refused.exitStatus());
        assertEquals(List.of("start fails with status 226/NAMESPACE: Failed to set up mount namespacing: "
                        + "/run/systemd/unit-root/var/lib/kanakku/cache: No such file or directory "
                        + "(ReadWritePaths=/var/lib/kanakku/cache)"),
                refused.reasons().subList(0, 1));
        assertTrue(refused.reasons().stream().anyMatch(r -> r.startsWith("/home/kanakku/.ssh/id_rsa (r): denied by "
                + "ProtectHome=yes")), refused.reasons().toString());
        assertEquals(1, lab.exec("test", "-e", "/etc/systemd/system/" + UNIT + ".d/50-unitguard.conf").exitCode());
    }

    @Test
    void kanakku_forcedBreakingCandidate_fails226RolledBackActiveAgain() throws Exception {
        String before = client.unit(UNIT).invocationId();

        ApplyResult result = service.applyHardening(request(BREAKING, true), Caller.of("uid:0"));

        ApplyResult.RolledBack rolledBack = assertInstanceOf(ApplyResult.RolledBack.class, result);
        Failure failure = rolledBack.failure();
        assertEquals(226, failure.exitStatus(), failure.toString());
        assertEquals("exit-code", failure.unitResult());
        assertTrue(failure.journal().stream().anyMatch(l -> l.contains("status=226/NAMESPACE")), failure.journal()
                .toString());
        assertTrue(failure.journal().stream().anyMatch(l -> l.contains("/var/lib/kanakku/cache")),
                failure.journal().toString());
        assertEquals("active", client.unit(UNIT).activeState());
        assertNotEquals(before, client.unit(UNIT).invocationId());
        assertEquals(1, lab.exec("test", "-e", "/etc/systemd/system/" + UNIT + ".d/50-unitguard.conf").exitCode());
        assertEquals(Outcome.ROLLED_BACK, service.history(UNIT).get(0).outcome());
    }

    /**
     * The live manager's {@code systemd-analyze security} counts PrivateMounts= as set when other settings imply a
     * mount namespace (7.8 here), the offline one reads the setting itself (8.0); SecurityAssessor models the offline
     * one. Both say lower.
     */
    @Test
    void kanakku_fixedCandidate_appliedActiveHealthyAndLessExposed() throws Exception {
        BigDecimal liveBefore = analyzeSecurity(UNIT);
        BigDecimal offlineBefore = analyzeSecurity("--offline=true", "/etc/systemd/system/" + UNIT);
        assertEquals(offlineBefore, SecurityAssessor.assess(UnitLoader.forRoot(lab.root()).load(UNIT)).exposure());

        ApplyResult result = service.applyHardening(request(FIXED, false), Caller.of("uid:0"));

        ApplyResult.Applied applied = assertInstanceOf(ApplyResult.Applied.class, result, result.toString());
        assertTrue(applied.restarted());
        assertEquals("active", client.unit(UNIT).activeState());
        assertEquals(applied.invocationId(), client.unit(UNIT).invocationId());
        assertEquals(List.of("/etc/systemd/system/" + UNIT + ".d/50-unitguard.conf"), client.unit(UNIT)
                .dropInPaths());
        assertEquals(0, lab.exec("test", "-s", "/var/lib/kanakku/ledger.log").exitCode());
        BigDecimal liveAfter = analyzeSecurity(UNIT);
        BigDecimal offlineAfter = analyzeSecurity("--offline=true", "/etc/systemd/system/" + UNIT);
        assertEquals(offlineAfter, SecurityAssessor.assess(UnitLoader.forRoot(lab.root()).load(UNIT)).exposure());
        assertTrue(liveAfter.compareTo(liveBefore) < 0, liveBefore + " -> " + liveAfter);
        assertTrue(offlineAfter.compareTo(offlineBefore) < 0, offlineBefore + " -> " + offlineAfter);
    }

    @Test
    void kanakku_sameRequestTwice_restartedOnce() throws Exception {
        String first = client.unit(UNIT).invocationId();

        ApplyResult applied = service.applyHardening(request(FIXED, false), Caller.of("uid:0"));
        String second = client.unit(UNIT).invocationId();
        ApplyResult again = service.applyHardening(request(FIXED, false), Caller.of("uid:0"));
        String third = client.unit(UNIT).invocationId();

        assertInstanceOf(ApplyResult.Applied.class, applied, applied.toString());
        assertInstanceOf(ApplyResult.Unchanged.class, again);
        assertNotEquals(first, second);
        assertEquals(second, third);
    }

    private static HardeningRequest request(Map<String, String> set, boolean force) {
        Health health = new Health.Exec(List.of("/bin/sh", "-c", "test -s /var/lib/kanakku/ledger.log"));
        return new HardeningRequest(UNIT, HardeningRequest.single(set), NEEDS,
                Activation.restart(health, Duration.ofSeconds(20)), force);
    }

    private BigDecimal analyzeSecurity(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("systemd-analyze", "security", "--no-pager"));
        command.addAll(List.of(args));
        String out = lab.exec(command.toArray(String[]::new)).requireSuccess().stdout();
        Matcher m = OVERALL.matcher(out);
        assertTrue(m.find(), out);
        return new BigDecimal(m.group(1));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
