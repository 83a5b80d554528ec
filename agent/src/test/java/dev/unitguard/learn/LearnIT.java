package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.host.Access;
import dev.unitguard.json.Json;
import dev.unitguard.lab.DebianDaemon;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.SocketNeed;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Learn against Debian's own redis-server, running for real in the lab, through the agent as it ships
 * (units/unitguard.service: ProtectProc=invisible, no CAP_SYS_PTRACE, so the sampler's transient unit does the
 * reading). The listening sockets are compared with what {@code ss} says of the daemon, the files with its own
 * {@code /proc}, and the manifest must pass {@code check} under the daemon's own unit.
 */
@LabTest
class LearnIT {

    private static final String UNIT = "redis-server.service";
    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final Pattern SS_LOCAL = Pattern.compile("^\\S+\\s+\\d+\\s+\\d+\\s+(\\S+):(\\d+)\\s");

    private Lab lab;

    @AfterEach
    void uninstall() {
        ShippedAgent.uninstall(lab, List.of(UNIT), "/var/lib/unitguard/requirements", "/etc/unitguard");
    }

    @Test
    void learn_observeLiveRedis_statesWhatItUsesAndPassesItsOwnCheck(Lab lab) throws Exception {
        this.lab = lab;
        DebianDaemon.requireInstalled("redis-server", "redis-tools");
        DebianDaemon.copyInto(lab, List.of("redis"), List.of("/etc/redis", "/var/lib/redis", "/var/log/redis"));
        ShippedAgent.install(lab);
        lab.exec("systemctl", "start", UNIT).requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
        long pid = Long.parseLong(lab.exec("systemctl", "show", "-P", "MainPID", UNIT).stdout().strip());

        ExecResult learned = curl("POST", "/v1/units/" + UNIT + "/learn", "{\"durationSeconds\": 5}");

        assertEquals(0, learned.exitCode(), learned.toString());
        RequirementsManifest.Document doc = Json.read(learned.stdout(), RequirementsManifest.Document.class);
        Requirements needs = RequirementsManifest.requirements(doc, "learned");
        assertEquals("observe", doc.learned().mode(), learned.stdout());
        assertTrue(doc.learned().samples() >= 4, learned.stdout());
        assertEquals("redis", needs.user().orElse(""), learned.stdout());

        // the listening sockets: exactly those ss shows for the daemon
        Set<String> listening = new TreeSet<>();
        needs.network().orElseThrow().listen().stream().filter(s -> s.protocol() == SocketNeed.Protocol.TCP)
                .forEach(s -> listening.add(s.address() + " " + s.port()));
        assertEquals(ssListening(pid), listening, learned.stdout());

        // what the daemon really has: its executable, working directory and every file it holds open
        assertHas(needs, lab.exec("readlink", "/proc/" + pid + "/exe").stdout().strip(), "x");
        assertHas(needs, lab.exec("readlink", "/proc/" + pid + "/cwd").stdout().strip(), "x");
        String maps = lab.exec("cat", "/proc/" + pid + "/maps").requireSuccess().stdout();
        Set<String> mapped = new TreeSet<>();
        for (String line : maps.split("\n")) {
            String[] f = line.strip().split("\\s+", 6);
            if (f.length == 6 && f[5].startsWith("/") && !f[5].endsWith("(deleted)") && !f[5].startsWith("/dev/")) {
                mapped.add(f[5]);
            }
        }
        assertTrue(mapped.size() > 5, maps);
        for (String file : mapped) {
            assertTrue(needs.paths().stream().anyMatch(p -> p.path().equals(file)), file + " missing in "
                    + learned.stdout());
        }
        String open = lab.exec("sh", "-c", "for f in /proc/" + pid + "/fd/*; do readlink $f; done").stdout();
        for (String target : open.split("\n")) {
            if (target.startsWith("/") && !target.startsWith("/dev/") && !target.endsWith("(deleted)")) {
                assertTrue(needs.paths().stream().anyMatch(p -> p.path().equals(target)), target + " missing in "
                        + learned.stdout());
            }
        }
        // the unit's own files: its configuration readable, its data and log directories writable (redis opens its
        // log file for each line, so no sample holds it open: the unit's ReadWritePaths= states it)
        assertHas(needs, "/etc/redis/redis.conf", "r");
        assertHas(needs, "/var/lib/redis", "rw");
        assertHas(needs, "/var/log/redis", "w");
        assertHas(needs, "/run/redis", "rw");

        // stored, and served back as stored
        ExecResult stored = curl("GET", "/v1/units/" + UNIT + "/requirements", null);
        assertEquals(Json.tree(learned.stdout()), Json.tree(stored.stdout()));

        // the manifest passes check under the daemon's own unit
        ExecResult check = curl("POST", "/v1/units/" + UNIT + "/check", "{\"requires\": " + learned.stdout() + "}");
        JsonNode report = Json.tree(check.stdout());
        assertTrue(report.path("ok").asBoolean(), check.stdout());
    }

    @Test
    void learn_windowLongerThanIdleTimeout_keptAliveAndRefusalsBeforeTheWindow(Lab lab) throws Exception {
        this.lab = lab;
        DebianDaemon.requireInstalled("redis-server", "redis-tools");
        DebianDaemon.copyInto(lab, List.of("redis"), List.of("/etc/redis", "/var/lib/redis", "/var/log/redis"));
        ShippedAgent.install(lab, "{\"limits\": {\"idleTimeoutSeconds\": 2}}");
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();

        ExecResult stopped = curl("POST", "/v1/units/" + UNIT + "/learn", "{\"durationSeconds\": 1}");
        ExecResult trace = curl("POST", "/v1/units/" + UNIT + "/learn", "{\"mode\": \"trace\"}");
        assertEquals("learn-not-run 422", problem(stopped), stopped.toString());
        assertEquals("not-implemented 501", problem(trace), trace.toString());

        lab.exec("systemctl", "start", UNIT).requireSuccess();
        ExecResult learned = curl("POST", "/v1/units/" + UNIT + "/learn", "{\"durationSeconds\": 7}");

        assertEquals(0, learned.exitCode(), "a 7 s window with a 2 s idle timeout: " + learned);
        assertTrue(learned.stdout().startsWith(" "), "the keep-alive spaces come first: " + learned.stdout());
        RequirementsManifest.Document doc = Json.read(learned.stdout(), RequirementsManifest.Document.class);
        assertTrue(doc.learned().samples() >= 6, learned.stdout());
        String left = lab.exec("sh", "-c", "ls -A /run/unitguard/learn; systemctl list-units --all --no-legend "
                + "'unitguard-learn-*'").stdout();
        assertEquals("", left.strip(), "the sampler's output file and unit are gone");
    }

    private static String problem(ExecResult result) throws Exception {
        JsonNode body = Json.tree(result.stdout());
        return body.path("type").asText().replaceFirst(".*/", "") + " " + body.path("status").asInt();
    }

    private void assertHas(Requirements needs, String path, String letters) {
        PathRequirement found = needs.paths().stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not learned: " + needs.paths()));
        assertTrue(found.access().containsAll(Access.parse(letters)), path + ": " + found);
        assertTrue(found.learned().isPresent(), path + " has no note");
    }

    /** {@code ss -ltnpH}: the TCP listeners of {@code pid}, as {@code address port}. */
    private Set<String> ssListening(long pid) {
        Set<String> out = new TreeSet<>();
        String ss = lab.exec("ss", "-ltnpH").requireSuccess().stdout();
        for (String line : ss.split("\n")) {
            Matcher m = SS_LOCAL.matcher(line);
            if (line.contains("pid=" + pid + ",") && m.find()) {
                String address = m.group(1).replaceAll("^\\[|\\]$", "").replace("*", "0.0.0.0");
                out.add(address + " " + m.group(2));
            }
        }
        assertTrue(!out.isEmpty(), "ss shows no listener of " + pid + ":\n" + ss);
        return out;
    }

    private ExecResult curl(String method, String path, String body) {
        return curl(lab, method, path, body);
    }

    /** {@code METHOD path} on the agent's socket in {@code lab}, with {@code body} (JSON, or null). */
    static ExecResult curl(Lab lab, String method, String path, String body) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time",
                "120", "-X", method, "--unix-socket", SOCKET));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        command.add("http://localhost" + path);
        return lab.exec(Duration.ofMinutes(3), new byte[0], command.toArray(String[]::new));
    }
}
