package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, health checks and journal lines, through the real agent under the shipped unit: a member of the
 * {@code unitguard} group (scope hardening) cannot use {@code health.exec} to run commands as root, nor
 * {@code health.http} to reach other hosts, nor a failed apply's journal to read what the service printed.
 */
@LabTest
class SecurityHealthIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String MEMBER = "ughealth";
    private static final String SERVICE_USER = "hcuser";
    private static final String SECRET = "SECRETHASH4242";

    private Lab lab;
    private int serviceUid;

    @BeforeEach
    void install(Lab lab) throws Exception {
        this.lab = lab;
        ShippedAgent.install(lab);
        lab.exec("sh", "-c", "id " + MEMBER + " || useradd --system --no-create-home -G unitguard " + MEMBER)
                .requireSuccess();
        if (lab.exec("id", SERVICE_USER).exitCode() != 0) {
            lab.addUser(SERVICE_USER);
        }
        serviceUid = Integer.parseInt(lab.exec("id", "-u", SERVICE_USER).requireSuccess().stdout().strip());
        lab.exec("usermod", "-p", SECRET, SERVICE_USER).requireSuccess();
        lab.exec("sh", "-c", "mkdir -p /srv/hc && chown " + SERVICE_USER + " /srv/hc && rm -f /srv/hc/*")
                .requireSuccess();
        lab.writeFile("/etc/systemd/system/hc.service", """
                [Service]
                User=hcuser
                ExecStart=/bin/sleep infinity
                """, "644", "root:root");
        // root's ExecStartPre prints /etc/shadow; the service's own one fails once ProtectSystem=strict is set
        lab.writeFile("/etc/systemd/system/leak.service", """
                [Service]
                User=hcuser
                ExecStartPre=+/bin/cat /etc/shadow
                ExecStartPre=/usr/bin/touch /srv/hc/started
                ExecStart=/bin/sleep infinity
                """, "644", "root:root");
        lab.exec("rm", "-rf", "/etc/systemd/system/hc.service.d", "/etc/systemd/system/leak.service.d",
                "/var/lib/unitguard").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "restart", "hc.service", "leak.service").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @AfterEach
    void uninstall() {
        ShippedAgent.uninstall(lab, List.of("hc.service", "leak.service"), "/etc/systemd/system/hc.service.d",
                "/etc/systemd/system/leak.service.d", "/var/lib/unitguard");
    }

    @Test
    void healthExec_runsAsTheUnitsUserNeverAsRoot() throws Exception {
        String health = "{\"exec\": [\"/bin/sh\", \"-c\", \"id -u > /srv/hc/uid; test \\\"$(id -u)\\\" = "
                + serviceUid + "\"]}";
        Answer applied = call(MEMBER, "PUT", "/v1/units/hc.service/hardening",
                "{\"set\": {\"ProtectKernelTunables\": \"yes\"}, \"restart\": true, \"health\": " + health
                        + ", \"timeoutSeconds\": 30}");

        assertEquals(200, applied.status(), applied.raw());
        assertEquals("applied", applied.body().get("outcome").textValue(), applied.raw());
        assertEquals(Integer.toString(serviceUid), lab.exec("cat", "/srv/hc/uid").requireSuccess().stdout().strip());
        assertTrue(serviceUid != 0);

        Answer asRoot = call(MEMBER, "PUT", "/v1/units/hc.service/hardening",
                "{\"set\": {\"ProtectKernelModules\": \"yes\"}, \"restart\": true, \"health\": "
                        + "{\"exec\": [\"/bin/sh\", \"-c\", \"test $(id -u) = 0\"]}, \"timeoutSeconds\": 8}");

        assertEquals(409, asRoot.status(), asRoot.raw());
        assertEquals("rolled_back", asRoot.body().get("outcome").textValue(), asRoot.raw());
        assertEquals("health", asRoot.body().get("failure").get("step").textValue(), asRoot.raw());
        assertTrue(asRoot.body().get("failure").get("message").textValue().contains("exited with status 1 (as user "
                + SERVICE_USER + ")"), asRoot.raw());
        assertEquals("", lab.exec("sh", "-c", "systemctl list-units --all --plain --no-legend 'unitguard-health-*'")
                .stdout().strip(), "the transient units are gone");
    }

    @Test
    void healthHttp_notLoopback_refused400NothingWritten() throws Exception {
        Answer refused = call(MEMBER, "PUT", "/v1/units/hc.service/hardening",
                "{\"set\": {\"ProtectKernelTunables\": \"yes\"}, \"restart\": true, \"health\": "
                        + "{\"http\": \"http://169.254.169.254/latest/meta-data/\"}}");

        assertEquals(400, refused.status(), refused.raw());
        assertEquals("$.health.http: must name a loopback host (127.0.0.0/8, [::1] or localhost), without user "
                + "info: http://169.254.169.254/latest/meta-data/", refused.body().get("detail").textValue());
        assertEquals(1, lab.exec("test", "-e", "/etc/systemd/system/hc.service.d/50-unitguard.conf").exitCode());
    }

    @Test
    void failedApply_memberSeesSystemdsLinesNotTheServiceOutput_rootSeesAll() throws Exception {
        String body = "{\"set\": {\"ProtectSystem\": \"strict\"}, \"restart\": true, \"timeoutSeconds\": 20}";

        Answer member = call(MEMBER, "PUT", "/v1/units/leak.service/hardening", body);
        Answer history = call(MEMBER, "GET", "/v1/units/leak.service/history", null);
        Answer root = call(null, "PUT", "/v1/units/leak.service/hardening", body);

        assertEquals(409, member.status(), member.raw());
        String journal = member.body().get("failure").get("journal").toString();
        assertTrue(journal.contains("status=1/FAILURE"), member.raw());
        assertFalse(member.raw().contains(SECRET), member.raw());
        assertFalse(member.raw().contains("root:"), member.raw());
        assertEquals(200, history.status(), history.raw());
        assertFalse(history.raw().contains(SECRET), history.raw());
        assertEquals(409, root.status(), root.raw());
        assertTrue(root.body().get("failure").get("journal").toString().contains(SECRET), root.raw());
        assertTrue(root.body().get("failure").get("journal").toString().contains("status=1/FAILURE"), root.raw());
    }

    /** curl over the socket, as {@code user} with its groups (setpriv) or as root ({@code null}). */
    private Answer call(String user, String method, String path, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", (user == null ? "exec \"$@\""
                : "exec setpriv --reuid=$(id -u " + user + ") --regid=$(id -g " + user + ") --init-groups \"$@\""),
                "sh", "curl", "-sS", "--max-time", "60", "-w", "\n%{http_code}", "--unix-socket", SOCKET, "-X",
                method, "-H", "Content-Type: application/json"));
        if (body != null) {
            lab.writeFile("/tmp/body.json", body, "644", "root:root");
            command.addAll(List.of("--data-binary", "@/tmp/body.json"));
        }
        command.add("http://localhost" + path);
        ExecResult result = lab.exec(command.toArray(String[]::new));
        String out = result.stdout();
        int nl = out.lastIndexOf('\n');
        if (nl < 0) {
            throw new AssertionError("no answer: " + result);
        }
        return new Answer(Integer.parseInt(out.substring(nl + 1).strip()),
                JsonBodies.MAPPER.readTree(out.substring(0, nl)), out);
    }

    record Answer(int status, JsonNode body, String raw) {
    }
}
