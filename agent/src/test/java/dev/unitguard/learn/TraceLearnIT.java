package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import dev.unitguard.lab.Await;
import dev.unitguard.lab.DebianDaemon;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Learn mode {@code trace} against Debian's nginx in the lab, through the agent as it ships: the manifest holds the
 * start-up reads a sample of the running daemon misses (compared with an observe of the same daemon just before) and
 * the capabilities its root master used, and nginx is back under its own unit afterwards (same {@code ExecStart=}, no
 * drop-in, no tracer), also when the traced start fails.
 */
@LabTest
class TraceLearnIT {

    private static final String UNIT = "nginx.service";
    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String DROP_IN = "/run/systemd/system/nginx.service.d/99-unitguard-trace.conf";
    private static final List<String> START_UP_READS = List.of("/etc/nginx/nginx.conf", "/etc/nginx/mime.types",
            "/etc/nginx/sites-enabled/default");

    private Lab lab;

    @AfterEach
    void uninstall() {
        lab.exec("rm", "-rf", "/etc/systemd/system/nginx.service.d");
        ShippedAgent.uninstall(lab, List.of(UNIT), "/var/lib/unitguard/requirements", "/etc/unitguard");
    }

    private void prepare(Lab lab) {
        this.lab = lab;
        DebianDaemon.requireInstalled("nginx", "strace");
        DebianDaemon.copyInto(lab, List.of("www-data"), List.of("/etc/nginx", "/var/lib/nginx", "/var/log/nginx",
                "/var/www"));
        ShippedAgent.install(lab);
        // nginx wants network-online.target: the lab has no network to wait for (as DaemonLab does)
        lab.exec("systemctl", "mask", "--now", "systemd-networkd-wait-online.service").requireSuccess();
        lab.exec("systemctl", "start", UNIT).requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @Test
    void trace_nginx_startUpReadsAndCapabilities_thenItsOwnUnitAgain(Lab lab) throws Exception {
        prepare(lab);
        Map<String, String> before = unitState();

        RequirementsManifest.Document observed = learn("observe");
        RequirementsManifest.Document traced = learn("trace");

        Requirements seen = RequirementsManifest.requirements(observed, "observed");
        Requirements needs = RequirementsManifest.requirements(traced, "traced");
        assertEquals("trace", traced.learned().mode());
        for (String read : START_UP_READS) {
            assertTrue(seen.paths().stream().noneMatch(p -> p.path().equals(read)), read + " observed: " + observed);
            PathRequirement p = needs.paths().stream().filter(n -> n.path().equals(read)).findFirst()
                    .orElseThrow(() -> new AssertionError(read + " not traced: " + Json.write(traced)));
            assertEquals("r", dev.unitguard.host.Access.format(p.access()), p.toString());
            assertTrue(p.learned().orElse("").startsWith("traced: openat O_RDONLY by root pid "), p.toString());
        }
        // root opens the logs, owned by www-data with mode 0640 (Debian's package): CAP_DAC_OVERRIDE
        assertEquals(List.of("CAP_DAC_OVERRIDE", "CAP_NET_BIND_SERVICE", "CAP_SETGID", "CAP_SETUID"),
                traced.capabilities(), Json.write(traced));
        assertTrue(traced.learned().capabilities().get("CAP_DAC_OVERRIDE").matches("traced: openat O_WRONLY\\|O_CREAT "
                + "of /var/log/nginx/(access|error)\\.log \\(owner 33 group 4 mode 0640\\) by root pid \\d+ \\(nginx\\)"),
                Json.write(traced.learned()));
        assertTrue(traced.learned().capabilities().get("CAP_NET_BIND_SERVICE").startsWith("traced: bind to port 80 "
                + "by root pid "), Json.write(traced.learned()));
        assertTrue(traced.syscalls().containsAll(List.of("openat", "bind", "listen", "setuid", "setgid", "accept4")),
                "the worker's accept4 of the requests made in the window: " + traced.syscalls());
        assertTrue(needs.network().orElseThrow().listen().stream().anyMatch(s -> s.port() == 80
                && s.address().equals("0.0.0.0")), Json.write(traced));

        assertEquals(before, unitState(), "nginx is back under its own unit");
        assertEquals("", lab.exec("sh", "-c", "ls -A /run/unitguard/learn").stdout().strip(), "the trace is removed");
        // the stored manifest passes check under Debian's unit
        JsonNode report = Json.tree(curl("POST", "/v1/units/" + UNIT + "/check", "{\"requires\": "
                + Json.write(traced) + "}").stdout());
        assertTrue(report.path("ok").asBoolean(), report.toString());
    }

    @Test
    void trace_startFailsUnderTheTracer_refusedAndItsOwnUnitAgain(Lab lab) throws Exception {
        prepare(lab);
        // a check that fails only while the trace's drop-in is there: the traced start fails
        lab.exec("mkdir", "-p", "/etc/systemd/system/nginx.service.d").requireSuccess();
        lab.exec("sh", "-c", "printf '[Service]\\nExecStartPre=/bin/sh -c \"test ! -e " + DROP_IN + "\"\\n' "
                + "> /etc/systemd/system/nginx.service.d/50-test.conf").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "restart", UNIT).requireSuccess();
        Map<String, String> before = unitState();

        ExecResult failed = curl("POST", "/v1/units/" + UNIT + "/learn", "{\"durationSeconds\": 3, \"mode\": \"trace\"}");

        JsonNode problem = Json.tree(failed.stdout());
        assertEquals(422, problem.path("status").asInt(), failed.toString());
        assertTrue(problem.path("detail").asText().contains("did not start under strace"), failed.toString());
        assertEquals(before, unitState(), "nginx is back under its own unit");
        assertEquals("", lab.exec("sh", "-c", "ls -A /run/unitguard/learn").stdout().strip(), "the trace is removed");
        // and a learn of it runs again: its turn was released
        assertEquals(0, curl("POST", "/v1/units/" + UNIT + "/learn", "{\"durationSeconds\": 1}").exitCode());
    }

    @Test
    void trace_agentKilledMidWindow_nextAgentRemovesTheDropInAndRestartsTheUnit(Lab lab) throws Exception {
        prepare(lab);
        Map<String, String> before = unitState();
        long agent = ShippedAgent.mainPid(lab);
        CompletableFuture<ExecResult> learn = CompletableFuture.supplyAsync(() -> curl("POST", "/v1/units/" + UNIT
                + "/learn", "{\"durationSeconds\": 600, \"mode\": \"trace\"}"));
        Await.until(() -> lab.exec("pgrep", "-x", "strace").succeeded(), Duration.ofSeconds(30),
                "nginx running under strace");
        assertTrue(lab.exec("test", "-f", DROP_IN).succeeded(), "the drop-in is there while the window is open");

        lab.exec("kill", "-9", Long.toString(agent)).requireSuccess();
        learn.get(30, java.util.concurrent.TimeUnit.SECONDS);

        // Restart=on-failure starts the agent again; at its start it ends the trace
        Await.until(() -> lab.exec("systemctl", "is-active", "-q", "unitguard.service").succeeded()
                && ShippedAgent.mainPid(lab) != agent, Duration.ofSeconds(60),
                "the agent started again");
        Await.until(() -> before.equals(unitState()), Duration.ofSeconds(30), "nginx back under its own unit: "
                + before);
        assertEquals("", lab.exec("sh", "-c", "ls -A /run/unitguard/learn 2>/dev/null").stdout().strip(),
                "no trace left");
        String journal = lab.exec("journalctl", "--no-pager", "-q", "-o", "cat", "-u", "unitguard.service").stdout();
        assertTrue(journal.contains("recovered an interrupted trace: " + UNIT + ": trace drop-in removed, restarted "
                + "without the tracer"), journal);
        // the agent serves: a learn of nginx runs again
        assertEquals(0, curl("POST", "/v1/units/" + UNIT + "/learn", "{\"durationSeconds\": 1}").exitCode());
    }

    /**
     * The drop-in of Yama's ptrace_scope 2 (the lab's kernel has no Yama, so the grant itself is what is proven): a
     * unit whose bounding set lacks CAP_SYS_PTRACE starts under strace with it added to the set, in the service and
     * in the tracer, and the trace is written.
     */
    @Test
    void traceDropIn_grantPtrace_boundingSetGainsSysPtraceAndTheTracedStartWorks(Lab lab) throws Exception {
        this.lab = lab;
        DebianDaemon.requireInstalled("strace");
        String unitText = "[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\nExecStart=/bin/sleep infinity\n";
        lab.writeFile("/etc/systemd/system/ptr.service", unitText, "644", "root:root");
        java.nio.file.Path host = java.nio.file.Files.createTempDirectory("ptr");
        java.nio.file.Files.createDirectories(host.resolve("etc/systemd/system"));
        java.nio.file.Files.writeString(host.resolve("etc/systemd/system/ptr.service"), unitText);
        String dir = "/run/unitguard-ptr-trace";
        String dropIn = TraceDropIn.text(dev.unitguard.unit.UnitLoader.forRoot(host).load("ptr.service"),
                java.nio.file.Path.of(dir), true);
        lab.exec("install", "-d", "-m", "0700", dir).requireSuccess();
        lab.writeFile("/run/systemd/system/ptr.service.d/" + TraceDropIn.NAME, dropIn, "644", "root:root");
        try {
            lab.exec("systemctl", "daemon-reload").requireSuccess();
            lab.exec("systemctl", "start", "ptr.service").requireSuccess();
            long ptrace = 1L << 19;
            String main = lab.exec("systemctl", "show", "-P", "MainPID", "ptr.service").requireSuccess().stdout()
                    .strip();
            Await.until(() -> lab.exec("sh", "-c", "test -s " + dir + "/ExecStart-0").succeeded(),
                    Duration.ofSeconds(10), "the trace written");
            String tracer = lab.exec("sh", "-c", "pgrep -x strace").requireSuccess().stdout().strip();
            assertEquals(ptrace | 1L << 10, capabilities(main, "CapBnd"), "the service's bounding set");
            assertEquals(ptrace, capabilities(tracer, "CapEff") & ptrace, "the tracer holds CAP_SYS_PTRACE");
            assertEquals("/usr/bin/sleep", lab.exec("readlink", "/proc/" + main + "/exe").stdout().strip());
        } finally {
            lab.exec("systemctl", "stop", "ptr.service");
            lab.exec("rm", "-rf", "/run/systemd/system/ptr.service.d", "/etc/systemd/system/ptr.service", dir);
            lab.exec("systemctl", "daemon-reload");
        }
    }

    private long capabilities(String pid, String field) {
        String status = lab.exec("cat", "/proc/" + pid + "/status").requireSuccess().stdout();
        return status.lines().filter(l -> l.startsWith(field + ":")).map(l -> Long.parseUnsignedLong(
                l.substring(field.length() + 1).strip(), 16)).findFirst().orElseThrow(() -> new AssertionError(status));
    }

    /** What must be as before: active, the same commands, drop-ins, and no tracer among its processes. */
    private Map<String, String> unitState() {
        ExecResult show = lab.exec("systemctl", "show", "-p", "ActiveState,ExecStartPre,ExecStart,DropInPaths",
                UNIT).requireSuccess();
        String stripped = show.stdout().replaceAll("pid=\\d+", "pid=N").replaceAll("start_time=\\[[^]]*]", "")
                .replaceAll("stop_time=\\[[^]]*]", "").replaceAll("code=\\S+", "").replaceAll("status=\\S+", "");
        String processes = lab.exec("sh", "-c", "readlink /proc/$(systemctl show -P MainPID " + UNIT + ")/exe; "
                + "pgrep -a strace").stdout().strip();
        return Map.of("show", stripped, "programs", processes, "drop-in", lab.exec("ls", DROP_IN).stdout().strip());
    }

    private RequirementsManifest.Document learn(String mode) throws Exception {
        CompletableFuture<ExecResult> learn = CompletableFuture.supplyAsync(() -> curl("POST", "/v1/units/" + UNIT
                + "/learn", "{\"durationSeconds\": 4, \"mode\": \"" + mode + "\"}"));
        while (!learn.isDone()) {
            lab.exec("curl", "-s", "--max-time", "2", "-o", "/dev/null", "http://127.0.0.1/");
            Thread.sleep(500);
        }
        ExecResult learned = learn.get();
        assertEquals(0, learned.exitCode(), learned.toString());
        return Json.read(learned.stdout(), RequirementsManifest.Document.class);
    }

    private ExecResult curl(String method, String path, String body) {
        return LearnIT.curl(lab, method, path, body);
    }

}
