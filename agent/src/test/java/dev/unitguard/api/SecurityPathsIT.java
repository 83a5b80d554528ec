package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's path attacks through the real agent under the shipped unit, called with curl over its socket, and
 * through {@code unitguard perms --fix}: the service user plants symlinks (at every position it can write) and a
 * hard link to /etc/shadow exists in its directory; a drop-in directory and a unit file are symlinks. Every attempt
 * is refused, and /etc/shadow, /etc/cron.d and the link targets keep their content, owner and mode.
 */
@LabTest
class SecurityPathsIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String AS_APP = "setpriv --reuid=app --regid=app --init-groups ";
    /** Content, owner and mode of every file an attack aims at. */
    private static final String FINGERPRINT = "for f in /etc/shadow /etc/cron.d /etc/cron.d/* /etc /opt/linked/target; do"
            + " stat -c '%n %u:%g %a' \"$f\"; done; sha256sum /etc/shadow /etc/cron.d/* /opt/linked/target";

    private Lab lab;

    @BeforeEach
    void install(Lab lab) throws Exception {
        this.lab = lab;
        ShippedAgent.install(lab);
        lab.exec("sh", "-c", "id app || useradd --system --user-group --no-create-home app").requireSuccess();
        lab.exec("sh", "-c", "test -s /etc/shadow || echo 'root:$6$labsecret:19000:0:99999:7:::' >> /etc/shadow")
                .requireSuccess();
        lab.exec("sh", "-c", "mkdir -p /etc/cron.d /opt/linked && echo '* * * * * root true' > /etc/cron.d/job"
                + " && echo 'linked unit file target, not to be copied' > /opt/linked/target").requireSuccess();
        lab.exec("sh", "-c", "rm -rf /var/lib/app && mkdir -p /var/lib/app/d1 && chown -R app:app /var/lib/app")
                .requireSuccess();
        for (String unit : new String[] {"app.service", "victim.service"}) {
            lab.writeFile("/etc/systemd/system/" + unit, "[Service]\nUser=app\nExecStart=/bin/sleep infinity\n",
                    "644", "root:root");
        }
        // the service user's own links: a directory, a deeper directory, the file itself, two hops
        lab.exec("sh", "-c", AS_APP + "sh -c 'ln -s /etc /var/lib/app/etcdir && ln -s /etc /var/lib/app/d1/sub"
                + " && ln -s /etc/shadow /var/lib/app/shadowlink && ln -s /var/lib/app/etcdir /var/lib/app/hop'")
                .requireSuccess();
        // fs.protected_hardlinks keeps the service user from linking /etc/shadow; root makes the link it could make
        // where that protection is off
        lab.exec("ln", "/etc/shadow", "/var/lib/app/hard").requireSuccess();
        lab.exec("ln", "-sfn", "/etc/cron.d", "/etc/systemd/system/victim.service.d").requireSuccess();
        lab.exec("ln", "-sfn", "/opt/linked/target", "/etc/systemd/system/linked.service").requireSuccess();
        lab.exec("rm", "-rf", "/var/lib/unitguard").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @AfterEach
    void uninstall() {
        ShippedAgent.uninstall(lab, List.of(), "/var/lib/app", "/var/lib/unitguard",
                "/etc/systemd/system/victim.service.d", "/etc/systemd/system/linked.service",
                "/etc/systemd/system/app.service", "/etc/systemd/system/victim.service");
    }

    private String fingerprint() {
        ExecResult r = lab.exec("sh", "-c", FINGERPRINT);
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout();
    }

    /** A request over the socket as root; the status and the JSON body. */
    private AgentApplyIT.Answer call(String method, String path, String body) throws Exception {
        lab.writeFile("/tmp/body.json", body, "600", "root:root");
        ExecResult result = lab.exec("curl", "-sS", "--max-time", "60", "-w", "\n%{http_code}", "--unix-socket", SOCKET,
                "-X", method, "-H", "Content-Type: application/json", "--data-binary", "@/tmp/body.json",
                "http://localhost" + path);
        String out = result.stdout();
        int nl = out.lastIndexOf('\n');
        return new AgentApplyIT.Answer(Integer.parseInt(out.substring(nl + 1).strip()),
                JsonBodies.MAPPER.readTree(out.substring(0, nl)), out);
    }

    @Test
    void permissionFix_symlinkAtEveryPositionTheUserCanWrite_manualNothingChanged() throws Exception {
        String before = fingerprint();
        for (String[] c : new String[][] {
            {"/var/lib/app/etcdir/shadow", "/var/lib/app/etcdir"},
            {"/var/lib/app/d1/sub/shadow", "/var/lib/app/d1/sub"},
            {"/var/lib/app/shadowlink", "/var/lib/app/shadowlink"},
            {"/var/lib/app/hop/shadow", "/var/lib/app/hop"}}) {
            AgentApplyIT.Answer fix = call("POST", "/v1/units/app.service/permissions/fix", "{\"dryRun\": false,"
                    + " \"requires\": {\"paths\": [{\"path\": \"" + c[0] + "\", \"access\": \"rw\"}]}}");

            assertEquals(200, fix.status(), fix.raw());
            assertEquals(0, fix.body().get("changes").size(), c[0] + ": no change planned: " + fix.raw());
            assertTrue(hasManual(fix.body(), "symlink-out-of-tree", c[1]), c[0] + ": " + fix.raw());
        }
        assertEquals(before, fingerprint());
    }

    @Test
    void permissionFix_hardLinkToShadow_skippedNothingChanged() throws Exception {
        String before = fingerprint();

        AgentApplyIT.Answer fix = call("POST", "/v1/units/app.service/permissions/fix", """
                {"dryRun": false, "requires": {"paths": [{"path": "/var/lib/app/hard", "access": "rw"}]}}""");

        assertEquals(200, fix.status(), fix.raw());
        JsonNode change = fix.body().get("changes").get(0);
        assertEquals("SKIPPED", change.get("outcome").textValue(), fix.raw());
        assertEquals("/var/lib/app/hard: has 2 hard links, so it is also reachable under another name, maybe outside"
                + " the checked paths; not changed", change.get("detail").textValue());
        assertEquals(before, fingerprint());
    }

    @Test
    void putHardening_symlinkedDropInDirectory_refused422NothingWrittenToCronD() throws Exception {
        String before = fingerprint();

        AgentApplyIT.Answer put = call("PUT", "/v1/units/victim.service/hardening", """
                {"set": {"PrivateTmp": "yes"}, "restart": false}""");

        assertEquals(422, put.status(), put.raw());
        assertEquals("/etc/systemd/system/victim.service.d: is a symlink (to /etc/cron.d); unitguard does not follow"
                + " links", put.body().get("reasons").get(0).textValue(), put.raw());
        assertEquals("job", lab.exec("ls", "-A", "/etc/cron.d").stdout().strip());
        assertEquals(before, fingerprint());
    }

    @Test
    void deleteFile_symlinkedUnitFile_refusedAndHistoryHoldsNoTargetContent() throws Exception {
        String before = fingerprint();

        AgentApplyIT.Answer delete = call("DELETE", "/v1/units/linked.service/file", "{}");
        ExecResult history = lab.exec("curl", "-sS", "--unix-socket", SOCKET,
                "http://localhost/v1/units/linked.service/history");

        assertEquals(422, delete.status(), delete.raw());
        assertEquals("/etc/systemd/system/linked.service: is a symlink (to /opt/linked/target); unitguard does not"
                + " follow links", delete.body().get("reasons").get(0).textValue(), delete.raw());
        assertEquals(0, lab.exec("test", "-L", "/etc/systemd/system/linked.service").exitCode());
        assertEquals("{\"unit\":\"linked.service\",\"entries\":[]}", history.stdout().replace(" ", "").strip());
        assertFalse(lab.exec("grep", "-r", "not to be copied", "/var/lib/unitguard").exitCode() == 0,
                "the state directory holds the link target's content");
        assertEquals(before, fingerprint());
    }

    @Test
    void cliPermsFix_symlinksAndHardLink_nothingChanged() {
        String before = fingerprint();
        lab.writeFile("/tmp/requires.json", """
                {"paths": [{"path": "/var/lib/app/etcdir/shadow", "access": "rw"},
                           {"path": "/var/lib/app/d1/sub/cron.d", "access": "rwx"},
                           {"path": "/var/lib/app/shadowlink", "access": "rw"},
                           {"path": "/var/lib/app/hard", "access": "rw"}]}""", "644", "root:root");

        ExecResult fix = lab.exec("java", "-jar", "/opt/unitguard/unitguard.jar", "perms", "--fix", "--json",
                "--requires", "/tmp/requires.json", "/etc/systemd/system/app.service");

        assertTrue(fix.stdout().contains("has 2 hard links"), fix.toString());
        assertFalse(fix.stdout().contains("\"APPLIED\""), fix.toString());
        assertEquals(before, fingerprint());
    }

    private static boolean hasManual(JsonNode answer, String id, String path) {
        for (JsonNode f : answer.get("manual")) {
            if (f.get("id").textValue().equals(id) && f.get("path").textValue().equals(path)) {
                return true;
            }
        }
        return false;
    }
}
