package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The apply engine through the real agent, as systemd runs it (units/unitguard.service), called over its Unix socket
 * with curl as a deploy script would: the kanakku story end to end, and SIGKILL of the agent in the middle of an
 * apply followed by the restart that recovers.
 */
@LabTest
class AgentApplyIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String UNIT = "kanakku.service";
    private static final String DROP_IN = "/etc/systemd/system/kanakku.service.d/50-unitguard.conf";
    private static final String REQUIRES = """
            {"paths": [{"path": "/home/kanakku/.ssh/id_rsa", "access": "r", "secret": true},
                       {"path": "/var/lib/kanakku", "access": "rw"}]}""";
    private static final String BREAKING = """
            {"ProtectSystem": "strict", "ProtectHome": "yes", "PrivateDevices": "yes", "NoNewPrivileges": "yes",
             "ReadWritePaths": "/var/lib/kanakku/cache"}""";
    private static final String FIXED = """
            {"ProtectSystem": "strict", "ProtectHome": "read-only", "PrivateDevices": "yes", "NoNewPrivileges": "yes",
             "PrivateTmp": "yes", "ReadWritePaths": "-/var/lib/kanakku"}""";

    private Lab lab;

    @BeforeEach
    void install(Lab lab) throws Exception {
        this.lab = lab;
        AgentLab.installAgent(lab);
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
        lab.exec("rm", "-rf", "/etc/systemd/system/" + UNIT + ".d", "/var/lib/unitguard").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "restart", UNIT).requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @AfterEach
    void uninstall() {
        AgentLab.uninstall(lab, UNIT);
    }

    /** PUT /hardening over the socket; the answer's status and JSON body. */
    private Answer put(String set, boolean force, String health) throws Exception {
        String body = "{\"set\": " + set + ", \"requires\": " + REQUIRES + ", \"restart\": true, \"health\": "
                + health + ", \"timeoutSeconds\": 30, \"force\": " + force + "}";
        lab.writeFile("/tmp/body.json", body, "600", "root:root");
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-w", "\n%{http_code}",
                "--unix-socket", SOCKET, "-X", "PUT", "-H", "Content-Type: application/json", "--data-binary",
                "@/tmp/body.json", "http://localhost/v1/units/" + UNIT + "/hardening"));
        ExecResult result = lab.exec(command.toArray(String[]::new));
        String out = result.stdout();
        int nl = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(nl + 1).strip()),
                JsonBodies.MAPPER.readTree(out.substring(0, nl)), out);
    }

    record Answer(int status, JsonNode body, String raw) {
    }

    private String show(String property) {
        return lab.exec("systemctl", "show", "-P", property, UNIT).stdout().strip();
    }

    @Test
    void kanakku_refusedThenForcedRolledBackThenFixedApplied() throws Exception {
        Answer refused = put(BREAKING, false, "null");
        assertEquals(422, refused.status(), refused.raw());
        assertEquals("https://unitguard.dev/problems/apply-refused", refused.body().get("type").textValue());
        assertEquals(226, refused.body().get("exitStatus").intValue(), refused.raw());
        assertTrue(refused.body().get("reasons").toString().contains("/home/kanakku/.ssh/id_rsa (r): denied by "
                + "ProtectHome=yes"), refused.raw());
        assertEquals(1, lab.exec("test", "-e", DROP_IN).exitCode(), "nothing written");

        String before = show("InvocationID");
        Answer forced = put(BREAKING, true, "null");
        assertEquals(409, forced.status(), forced.raw());
        assertEquals("rolled_back", forced.body().get("outcome").textValue());
        assertEquals(226, forced.body().get("failure").get("exitStatus").intValue(), forced.raw());
        assertTrue(forced.body().get("failure").get("journal").toString().contains("status=226/NAMESPACE"),
                forced.raw());
        assertEquals("active", show("ActiveState"));
        assertNotEquals(before, show("InvocationID"));
        assertEquals(1, lab.exec("test", "-e", DROP_IN).exitCode(), "the new drop-in was removed");

        Answer fixed = put(FIXED, false, "null");
        assertEquals(200, fixed.status(), fixed.raw());
        assertEquals("applied", fixed.body().get("outcome").textValue(), fixed.raw());
        assertEquals("active", show("ActiveState"));
        assertEquals(fixed.body().get("invocationId").textValue(), show("InvocationID"));
        assertEquals(DROP_IN, show("DropInPaths"));
        Answer again = put(FIXED, false, "null");
        assertEquals("unchanged", again.body().get("outcome").textValue(), again.raw());
    }

    @Test
    void sigkillDuringApply_dropInWholeAndRestartRecovers() throws Exception {
        String agentPid = lab.exec("systemctl", "show", "-P", "MainPID", "unitguard.service").stdout().strip();
        lab.writeFile("/tmp/body.json", "{\"set\": " + FIXED + ", \"requires\": " + REQUIRES
                + ", \"restart\": true, \"health\": {\"exec\": [\"/bin/sleep\", \"20\"]}, \"timeoutSeconds\": 60}",
                "600", "root:root");
        // the request runs in the background; the agent is killed while the health check sleeps
        lab.exec("sh", "-c", "curl -sS --max-time 90 --unix-socket " + SOCKET + " -X PUT --data-binary @/tmp/body.json"
                + " http://localhost/v1/units/" + UNIT + "/hardening >/tmp/answer 2>&1 &").requireSuccess();
        waitFor(() -> lab.exec("pgrep", "-f", "sleep 20").exitCode() == 0, "the health check to start");
        String during = lab.exec("cat", DROP_IN).stdout();

        lab.exec("kill", "-KILL", agentPid).requireSuccess();

        assertTrue(during.contains("ProtectHome=read-only\n") && during.endsWith("ReadWritePaths=-/var/lib/kanakku\n"),
                "whole new drop-in while verifying: " + during);
        waitFor(() -> !lab.exec("systemctl", "show", "-P", "MainPID", "unitguard.service").stdout().strip()
                .matches("0|" + agentPid) && lab.exec("systemctl", "is-active", "unitguard.service").exitCode() == 0,
                "the agent to be restarted (Restart=on-failure)");
        assertEquals(1, lab.exec("test", "-e", DROP_IN).exitCode(),
                "recovery undid the unverified change: " + lab.exec("journalctl", "-o", "cat", "-u",
                        "unitguard.service").stdout());
        assertEquals("active", show("ActiveState"));
        String log = lab.exec("journalctl", "-o", "cat", "-u", "unitguard.service").stdout();
        assertTrue(log.contains("recovered an interrupted change"), log);
    }

    /** The body of one PUT /hardening that differs from the others by an environment value; restart optional. */
    private String body(int n, boolean restart, String health) {
        String set = FIXED.replace("\"PrivateTmp\": \"yes\",", "\"PrivateTmp\": \"yes\", \"Environment\": \"UG_N=" + n + "\",");
        return "{\"set\": " + set + ", \"requires\": " + REQUIRES + ", \"restart\": " + restart
                + ", \"health\": " + health + ", \"timeoutSeconds\": 60}";
    }

    private String dropInFiles() {
        return lab.exec("sh", "-c", "ls -A /etc/systemd/system/" + UNIT + ".d 2>/dev/null").stdout().strip();
    }

    @Test
    void twentyConcurrentApplies_oneWinnerConsistentHistoryNoPartialFiles() throws Exception {
        for (int n = 1; n <= 20; n++) {
            lab.writeFile("/tmp/body" + n + ".json", body(n, false, "null"), "600", "root:root");
        }
        lab.exec("sh", "-c", "for n in $(seq 1 20); do curl -sS --max-time 120 -o /tmp/answer$n -w '%{http_code}' "
                + "--unix-socket " + SOCKET + " -X PUT --data-binary @/tmp/body$n.json "
                + "http://localhost/v1/units/" + UNIT + "/hardening > /tmp/status$n & done; wait").requireSuccess();
        for (int n = 1; n <= 20; n++) {
            assertEquals("200", lab.exec("cat", "/tmp/status" + n).stdout().strip(),
                    lab.exec("cat", "/tmp/answer" + n).stdout());
        }
        String dropIn = lab.exec("cat", DROP_IN).stdout();
        long winners = java.util.stream.IntStream.rangeClosed(1, 20)
                .filter(n -> dropIn.contains("Environment=UG_N=" + n + "\n")).count();
        assertEquals(1, winners, "exactly one request's content: " + dropIn);
        assertEquals("50-unitguard.conf", dropInFiles(), "no temporary or partial files");

        ExecResult history = lab.exec("curl", "-sS", "--unix-socket", SOCKET,
                "http://localhost/v1/units/" + UNIT + "/history");
        List<JsonNode> entries = new ArrayList<>();
        JsonBodies.MAPPER.readTree(history.stdout()).get("entries").forEach(entries::add);
        entries.sort(java.util.Comparator.comparingLong(e -> e.get("id").longValue()));
        assertTrue(entries.size() >= 10, "history kept at least the retention's 10 entries: " + history.stdout());
        for (int i = 1; i < entries.size(); i++) {
            assertEquals(entries.get(i - 1).get("after"), entries.get(i).get("before"),
                    "each change starts from the content the previous one left");
        }
        assertEquals(dropIn, entries.get(entries.size() - 1).get("after").textValue(), "history ends at the file");
    }

    @Test
    void sigkillAtDifferentPoints_dropInAlwaysWholeAndRecovered() throws Exception {
        List<String> whole = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {   // the two complete versions the file may hold
            lab.writeFile("/tmp/body.json", body(n, true, "null"), "600", "root:root");
            lab.exec("curl", "-sS", "--max-time", "60", "--unix-socket", SOCKET, "-X", "PUT", "--data-binary",
                    "@/tmp/body.json", "http://localhost/v1/units/" + UNIT + "/hardening").requireSuccess();
            whole.add(lab.exec("cat", DROP_IN).stdout());
        }
        assertNotEquals(whole.get(0), whole.get(1));
        String[] delays = {"0", "0.02", "0.05", "0.1", "0.2", "0.4", "0.8", "1.5"};
        for (int i = 0; i < delays.length; i++) {
            // eight kills in quick succession would hit systemd's start rate limit (5 in 10 s): reset its counter
            lab.exec("systemctl", "reset-failed", "unitguard.service");
            String agentPid = lab.exec("systemctl", "show", "-P", "MainPID", "unitguard.service").stdout().strip();
            lab.writeFile("/tmp/body.json", body(1 + i % 2, true, "{\"exec\": [\"/bin/sleep\", \"1\"]}"), "600",
                    "root:root");
            lab.exec("sh", "-c", "curl -sS --max-time 90 --unix-socket " + SOCKET + " -X PUT --data-binary "
                    + "@/tmp/body.json http://localhost/v1/units/" + UNIT + "/hardening >/dev/null 2>&1 & sleep "
                    + delays[i] + "; kill -KILL " + agentPid).requireSuccess();
            waitFor(() -> !lab.exec("systemctl", "show", "-P", "MainPID", "unitguard.service").stdout().strip()
                    .matches("0|" + agentPid) && lab.exec("curl", "-fsS", "--unix-socket", SOCKET,
                    "http://localhost/health/live").exitCode() == 0, "the agent to be restarted after kill " + i);
            String files = dropInFiles();
            assertTrue(files.isEmpty() || files.equals("50-unitguard.conf"),
                    "kill after " + delays[i] + " s: no partial or temporary file: " + files);
            if (!files.isEmpty()) {
                String content = lab.exec("cat", DROP_IN).stdout();
                assertTrue(whole.contains(content), "kill after " + delays[i] + " s: a whole version, got " + content);
            }
            waitFor(() -> show("ActiveState").equals("active"), "kanakku active after recovery " + i);
            assertEquals("", lab.exec("sh", "-c", "find /var/lib/unitguard/journal -type f; "
                    + "find /var/lib/unitguard -name '.#unitguard.*'").stdout().strip(),
                    "kill after " + delays[i] + " s: recovery left no journal entry or temporary file");
        }
    }

    /** The CLI a deploy script runs, against the real agent: applied (exit 0), then rolled back (exit 0). */
    @Test
    void cliApplyThenRollback_throughAgent_exit0AndHistoryWithRootUid() throws Exception {
        lab.writeFile("/tmp/requires.json", REQUIRES, "644", "root:root");
        List<String> apply = new ArrayList<>(List.of("java", "-jar", "/opt/unitguard/unitguard.jar", "apply",
                "--unit", UNIT, "--requires", "/tmp/requires.json", "--restart", "--json"));
        for (String kv : List.of("ProtectSystem=strict", "ProtectHome=read-only", "PrivateTmp=yes",
                "ReadWritePaths=-/var/lib/kanakku")) {
            apply.addAll(List.of("--set", kv));
        }
        ExecResult applied = lab.exec(apply.toArray(String[]::new));
        assertEquals(0, applied.exitCode(), applied.toString());
        assertTrue(applied.stdout().contains("\"outcome\" : \"applied\""), applied.toString());
        assertEquals(0, lab.exec("test", "-s", DROP_IN).exitCode());

        ExecResult rolledBack = lab.exec("java", "-jar", "/opt/unitguard/unitguard.jar", "rollback", "--unit", UNIT,
                "--restart");
        assertEquals(0, rolledBack.exitCode(), rolledBack.toString());
        assertEquals(1, lab.exec("test", "-e", DROP_IN).exitCode(), "back to no drop-in");
        assertEquals("active", show("ActiveState"));
        ExecResult history = lab.exec("curl", "-sS", "--unix-socket", SOCKET,
                "http://localhost/v1/units/" + UNIT + "/history");
        JsonNode entries = JsonBodies.MAPPER.readTree(history.stdout()).get("entries");
        assertEquals("SET_HARDENING uid:0 APPLIED, ROLLBACK uid:0 APPLIED", entries.get(0).get("operation").textValue()
                + " " + entries.get(0).get("principal").textValue() + " " + entries.get(0).get("outcome").textValue()
                + ", " + entries.get(1).get("operation").textValue() + " " + entries.get(1).get("principal").textValue()
                + " " + entries.get(1).get("outcome").textValue());
    }

    /**
     * Why the checks read PID 1's mount table: under the shipped unit's sandbox (ProtectSystem=strict, its
     * capabilities) the agent's own table has / read-only, PID 1's does not, and PID 1's is readable there.
     */
    @Test
    void mountInfo_underAgentSandbox_selfReadOnlyPid1ReadableAndWritable() {
        String caps = "CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_CHOWN CAP_FOWNER";
        ExecResult self = lab.exec("systemd-run", "--wait", "--pipe", "--quiet", "-p", caps, "-p",
                "ProtectSystem=strict", "cat", "/proc/self/mountinfo");
        ExecResult init = lab.exec("systemd-run", "--wait", "--pipe", "--quiet", "-p", caps, "-p",
                "ProtectSystem=strict", "cat", "/proc/1/mountinfo");

        assertTrue(self.stdout().lines().anyMatch(l -> l.split(" ")[4].equals("/") && l.split(" ")[5].startsWith("ro")),
                self.stdout());
        assertEquals(0, init.exitCode(), init.toString());
        assertTrue(init.stdout().lines().anyMatch(l -> l.split(" ")[4].equals("/") && l.split(" ")[5].startsWith("rw")),
                init.stdout());
    }

    /** A member of a read-only group may read history but not change anything (403 naming the group needed). */
    @Test
    void readOnlyGroupMember_putHardening403HistoryAllowed() throws Exception {
        lab.exec("sh", "-c", "getent group ugro || groupadd --system ugro").requireSuccess();
        lab.exec("sh", "-c", "id ugreader || useradd --system --no-create-home -G ugro ugreader").requireSuccess();
        lab.writeFile("/etc/unitguard/agent.json", "{\"unixSocket\": {\"mode\": \"0666\", \"readOnlyGroups\": "
                + "[\"ugro\"]}}", "644", "root:root");
        lab.exec("systemctl", "restart", "unitguard.service").requireSuccess();
        lab.writeFile("/tmp/body.json", "{\"set\": {\"PrivateTmp\": \"yes\"}}", "644", "root:root");
        String asReader = "exec setpriv --reuid=$(id -u ugreader) --regid=$(id -g ugreader) --init-groups ";

        ExecResult put = lab.exec("sh", "-c", asReader + "curl -sS -w '\\n%{http_code}' --unix-socket " + SOCKET
                + " -X PUT --data-binary @/tmp/body.json http://localhost/v1/units/" + UNIT + "/hardening");
        ExecResult history = lab.exec("sh", "-c", asReader + "curl -sS -o /dev/null -w '%{http_code}' --unix-socket "
                + SOCKET + " http://localhost/v1/units/" + UNIT + "/history");
        lab.exec("rm", "-rf", "/etc/unitguard");

        assertTrue(put.stdout().endsWith("\n403"), put.toString());
        assertTrue(put.stdout().contains("user ugreader may only use read-only (GET) routes; PUT needs root or group "
                + "unitguard"), put.toString());
        assertEquals("200", history.stdout(), history.toString());
        assertEquals(1, lab.exec("test", "-e", DROP_IN).exitCode());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
