package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import dev.unitguard.metrics.PrometheusTextParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent as systemd runs it: units/unitguard.service installed in the lab (a drop-in points ExecStart at the
 * jar built into target/, bound at /opt/unitguard), started as Type=notify, called with curl like a deploy script.
 */
@LabTest
class AgentIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private Lab lab;

    @BeforeEach
    void install(Lab lab) throws Exception {
        this.lab = lab;
        ShippedAgent.install(lab);
    }

    @AfterEach
    void uninstall() {
        ShippedAgent.uninstall(lab, List.of(), "/etc/unitguard",
                "/etc/systemd/system/unitguard.service.d/60-test.conf");
    }

    private void config(String json) {
        lab.writeFile("/etc/unitguard/agent.json", json, "644", "root:root");
    }

    private String show(String property) {
        return lab.exec("systemctl", "show", "-P", property, "unitguard.service").stdout().strip();
    }

    /** Runs a command as {@code user} with its groups (setpriv: runuser needs PAM, which the lab lacks). */
    private ExecResult as(String user, String... command) {
        List<String> full = new java.util.ArrayList<>(List.of("sh", "-c",
                "exec setpriv --reuid=$(id -u \"$0\") --regid=$(id -g \"$0\") --init-groups \"$@\"", user));
        full.addAll(List.of(command));
        return lab.exec(full.toArray(String[]::new));
    }

    private ExecResult curl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        return lab.exec(command.toArray(String[]::new));
    }

    @Test
    void start_typeNotify_activeOnlyOnceReadyAndSocketAnswersRoot() throws Exception {
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();

        assertEquals("notify active running", show("Type") + " " + show("ActiveState") + " " + show("SubState"));
        assertTrue(show("StatusText").startsWith("serving; "), show("StatusText"));
        String log = lab.exec("journalctl", "-o", "cat", "-u", "unitguard.service").stdout();
        assertTrue(log.indexOf("listening on " + SOCKET) < log.indexOf("unitguard agent ready"), log);
        assertEquals("srw-rw---- root unitguard", lab.exec("stat", "-c", "%A %U %G", SOCKET).stdout().strip());

        // READY=1 waits for the states of a first page of units, not their scores: listed at once, a unit not scored
        // yet has no exposure (null), never a made-up one, while /health/ready says the reading is under way
        JsonNode atReady = unitList();
        assertFalse(atReady.get("units").isEmpty(), atReady.toString());
        awaitFirstReading();
        JsonNode list = unitList();
        JsonNode dbus = find(list.get("units"), "dbus.service");
        assertEquals("active running", dbus.get("activeState").textValue() + " " + dbus.get("subState").textValue());
        assertTrue(dbus.get("exposure").isNumber(), dbus.toString());
        for (JsonNode early : atReady.get("units")) {
            if (!early.get("exposure").isNull()) {
                assertEquals(find(list.get("units"), early.get("unit").textValue()).get("exposure"),
                        early.get("exposure"), "a score listed at READY=1 is the unit's score: " + early);
            }
        }
    }

    private JsonNode unitList() throws Exception {
        ExecResult units = curl("-w", "\n%{http_code}", "--unix-socket", SOCKET, "http://localhost/v1/units");
        String status = units.stdout().substring(units.stdout().lastIndexOf('\n') + 1);
        assertEquals("200", status, units.toString());
        return JsonBodies.MAPPER.readTree(units.stdout().substring(0, units.stdout().lastIndexOf('\n')));
    }

    /** Waits until /health/ready has no "units" check: every unit read and scored once. */
    private void awaitFirstReading() {
        Instant deadline = Instant.now().plus(SETTLE);
        String ready;
        while ((ready = curl("--unix-socket", SOCKET, "http://localhost/health/ready").stdout()).contains("\"units\"")) {
            assertTrue(Instant.now().isBefore(deadline), "first reading not over: " + ready);
            sleep();
        }
    }

    @Test
    void start_notifyAccessNone_neverActiveWithoutReady() {
        // The same agent, listening as before, but without NOTIFY_SOCKET it cannot send READY=1: it never counts as
        // started, which shows that "active" above came from READY=1 and not from the process running.
        // (NotifyAccess=none would not do: systemd forces it to main for Type=notify.)
        lab.writeFile("/etc/systemd/system/unitguard.service.d/60-test.conf",
                "[Service]\nUnsetEnvironment=NOTIFY_SOCKET\nTimeoutStartSec=15\nRestart=no\n", "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();

        ExecResult start = lab.exec("systemctl", "start", "unitguard.service");

        assertEquals(1, start.exitCode(), start.toString());
        Instant deadline = Instant.now().plus(SETTLE);
        while (!show("ActiveState").equals("failed") && Instant.now().isBefore(deadline)) {
            sleep();
        }
        assertEquals("failed timeout", show("ActiveState") + " " + show("Result"));
        String log = lab.exec("journalctl", "-o", "cat", "-u", "unitguard.service").stdout();
        assertTrue(log.contains("unitguard agent ready"), log);
    }

    @Test
    void start_hostBindNamedButNotBound_refusesToStartNamingIt() {
        // A unit edited so that the variable names a directory its BindReadOnlyPaths= does not bind: the agent would
        // judge its own private /dev as the host's, so it must not start (docs/security.md).
        lab.writeFile("/etc/systemd/system/unitguard.service.d/60-test.conf", "[Service]\n"
                + "Environment=\"UNITGUARD_HOST_BINDS=/tmp:/run/unitguard/host/tmp /dev:/run/unitguard/host/nodev\"\n"
                + "Restart=no\n", "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();

        ExecResult start = lab.exec("systemctl", "start", "unitguard.service");

        assertEquals(1, start.exitCode(), start.toString());
        assertEquals("failed", show("ActiveState"));
        // this start's own lines: the lab's journal keeps those of the agents earlier tests started
        String log = lab.exec("journalctl", "-o", "cat", "_SYSTEMD_INVOCATION_ID=" + show("InvocationID")).stdout();
        assertTrue(log.contains("UNITGUARD_HOST_BINDS names /run/unitguard/host/nodev (for /dev), not a directory"),
                log);
        assertFalse(log.contains("unitguard agent ready"), log);
        assertEquals(1, lab.exec("test", "-S", SOCKET).exitCode(), "no socket left behind");
    }

    @Test
    void unixSocket_nonMember_deniedByModeThen403ByPeerCredentials() throws Exception {
        lab.exec("sh", "-c", "id ugmember || useradd --system --no-create-home -G unitguard ugmember").requireSuccess();
        lab.exec("sh", "-c", "id ugother || useradd --system --no-create-home ugother").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();

        ExecResult byMode = as("ugother", "curl", "-sS", "--unix-socket", SOCKET,
                "http://localhost/v1/units");
        ExecResult member = as("ugmember", "curl", "-sS", "-o", "/dev/null", "-w",
                "%{http_code}", "--unix-socket", SOCKET, "http://localhost/v1/units");
        assertEquals(7, byMode.exitCode(), "0660 root:unitguard: a non-member cannot even connect: " + byMode);
        assertEquals("200", member.stdout());

        config("{\"unixSocket\": {\"mode\": \"0666\"}}");
        lab.exec("systemctl", "restart", "unitguard.service").requireSuccess();
        ExecResult denied = as("ugother", "curl", "-sS", "-w", "\n%{http_code}",
                "--unix-socket", SOCKET, "http://localhost/v1/units");

        assertEquals(TestAgent.problem("forbidden", "Forbidden", 403,
                "user ugother is neither root nor a member of group unitguard") + "\n403", denied.stdout());
    }

    @Test
    void metrics_tcp_parsesAsPrometheusText() {
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
        awaitReady();
        awaitFirstReading();

        ExecResult scrape = curl("-D", "/dev/stderr", "http://127.0.0.1:9647/metrics");

        List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(scrape.stdout());
        assertTrue(scrape.stderr().toLowerCase().contains("content-type: text/plain; version=0.0.4; charset=utf-8"),
                scrape.stderr());
        assertEquals(1.0, value(samples, "unitguard_systemd_up", Map.of()));
        assertEquals(1.0, value(samples, "unitguard_unit_state", Map.of("state", "active", "unit", "dbus.service")));
        assertTrue(samples.stream().anyMatch(s -> s.name().equals("unitguard_unit_exposure")
                && s.labels().equals(Map.of("unit", "dbus.service"))), "dbus.service has an exposure score");
    }

    @Test
    void metrics_serviceStarts_stateFollowsSignalsWithoutResync() {
        config("{\"resyncSeconds\": 86400}");
        lab.writeFile("/etc/systemd/system/ugsleeper.service", "[Service]\nExecStart=/bin/sleep infinity\n",
                "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
        awaitReady();

        lab.exec("systemctl", "start", "ugsleeper.service").requireSuccess();
        awaitMetric("unitguard_unit_state", Map.of("state", "active", "unit", "ugsleeper.service"), 1.0);
        lab.exec("systemctl", "stop", "ugsleeper.service").requireSuccess();
        // nothing refers to it: systemd unloads it, and a removed unit is dropped (reading it would load it again)
        awaitMetric("unitguard_unit_state", Map.of("state", "active", "unit", "ugsleeper.service"), -1.0);
    }

    @Test
    void check_probeTrue_staticVerdictAndProbeAgree() throws Exception {
        addUgapp();
        lab.writeFile("/srv/ugapp/data.txt", "x\n", "600", "ugapp:root");
        startWithUgapp();

        ExecResult answer = curl("-w", "\n%{http_code}", "--unix-socket", SOCKET, "-H", "Content-Type: application/json",
                "-d", "{\"set\": {\"ProtectSystem\": \"strict\"}, \"requires\": {\"paths\": ["
                        + "{\"path\": \"/srv/ugapp/data.txt\", \"access\": \"rw\"}]}, \"probe\": true}",
                "http://localhost/v1/units/ugapp.service/check");

        String out = answer.stdout();
        assertEquals("200", out.substring(out.lastIndexOf('\n') + 1), out);
        JsonNode body = JsonBodies.MAPPER.readTree(out.substring(0, out.lastIndexOf('\n')));
        assertEquals("false false true", body.get("ok") + " " + body.get("probe").get("requirements").get(0).get("ok")
                + " " + body.get("agree"), body.toString());
        assertEquals("ProtectSystem=strict", body.get("requirements").get(0).get("deniedBy").textValue()
                .replaceFirst(" .*", ""), body.toString());
    }

    /**
     * The shipped unit gives the agent its own /tmp and /dev (PrivateTmp=, PrivateDevices=); a service without them
     * sees the host's, and the agent must judge them as the service sees them: the probe, which runs with the
     * service's own view, agrees.
     */
    @Test
    void check_hostTmpAndDev_judgedAsTheServiceSeesThemNotAsTheAgentDoes() throws Exception {
        addUgapp();
        lab.writeFile("/tmp/ugapp/shared.txt", "x\n", "400", "ugapp:root");
        lab.writeFile("/tmp/ugapp/secret.txt", "x\n", "600", "root:root");
        startWithUgapp();

        ExecResult answer = curl("-w", "\n%{http_code}", "--unix-socket", SOCKET, "-H", "Content-Type: application/json",
                "-d", "{\"set\": {\"ProtectSystem\": \"strict\"}, \"requires\": {\"paths\": ["
                        + "{\"path\": \"/tmp/ugapp/shared.txt\", \"access\": \"r\"},"
                        + "{\"path\": \"/tmp/ugapp/secret.txt\", \"access\": \"r\"},"
                        + "{\"path\": \"/dev/net/tun\", \"access\": \"r\"}]}, \"probe\": true}",
                "http://localhost/v1/units/ugapp.service/check");

        String out = answer.stdout();
        assertEquals("200", out.substring(out.lastIndexOf('\n') + 1), () -> out
                + lab.exec("journalctl", "-o", "cat", "-n", "60", "-u", "unitguard.service").stdout());
        JsonNode body = JsonBodies.MAPPER.readTree(out.substring(0, out.lastIndexOf('\n')));
        JsonNode verdicts = body.get("requirements");
        // shared: readable by its owner; secret and tun: they exist on the host (root's, 0600), so denied by
        // permissions, not missing as they are in the agent's own /tmp and /dev
        assertEquals("true false false", verdicts.get(0).get("ok") + " " + verdicts.get(1).get("ok") + " "
                + verdicts.get(2).get("ok"), body.toString());
        assertEquals("permissions permissions", verdicts.get(1).get("deniedBy").textValue() + " "
                + verdicts.get(2).get("deniedBy").textValue(), body.toString());
        assertEquals("true", body.get("agree").toString(), body.toString());
    }

    @Test
    void stop_sigterm_stoppingThenCleanExit() {
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();

        lab.exec("systemctl", "stop", "unitguard.service").requireSuccess();

        assertEquals("inactive success", show("ActiveState") + " " + show("Result"));
        String log = lab.exec("journalctl", "-o", "cat", "-u", "unitguard.service").stdout();
        assertTrue(log.contains("stopping: finishing requests in flight") && log.contains("\nstopped\n"), log);
        assertEquals(1, lab.exec("test", "-e", SOCKET).exitCode(), "socket removed");
    }

    private void addUgapp() {
        lab.exec("sh", "-c", "id ugapp || useradd --system --no-create-home ugapp").requireSuccess();
    }

    /** ugapp.service (User=ugapp, sleeps) installed, and the agent started. */
    private void startWithUgapp() {
        lab.writeFile("/etc/systemd/system/ugapp.service",
                "[Service]\nUser=ugapp\nExecStart=/bin/sleep infinity\n", "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(SETTLE);
        while (!curl("-f", "-o", "/dev/null", "http://127.0.0.1:9647/health/ready").succeeded()) {
            assertTrue(Instant.now().isBefore(deadline), "not ready: " + curl("http://127.0.0.1:9647/health/ready"));
            sleep();
        }
    }

    /** Waits until the metric has the value (-1 while the series is missing); fails only after a generous deadline. */
    private void awaitMetric(String name, Map<String, String> labels, double expected) {
        Instant deadline = Instant.now().plus(SETTLE);
        while (true) {
            List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(
                    curl("http://127.0.0.1:9647/metrics").stdout());
            double actual = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                    .mapToDouble(PrometheusTextParser.Sample::value).findFirst().orElse(-1.0);
            if (actual == expected) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), name + labels + " is " + actual + ", expected " + expected);
            sleep();
        }
    }

    private static double value(List<PrometheusTextParser.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + labels)).value();
    }

    private static JsonNode find(JsonNode units, String name) {
        for (JsonNode unit : units) {
            if (unit.get("unit").textValue().equals(name)) {
                return unit;
            }
        }
        throw new AssertionError("no " + name + " in " + units);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
