package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's privilege-raising directives through the real agent under the shipped unit, sent over its socket by a
 * member of the unitguard group (curl through setpriv, a non-root uid): each refused (403 or 422) with the drop-in
 * directory and /etc/shadow unchanged (sha256 before and after) and no command run; the same sent by root with force
 * is accepted (applied, or rolled back when the service then fails). Bodies with duplicate members or invalid UTF-8
 * are refused at the socket.
 */
@LabTest
class SecurityScopesIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String UNIT = "kanakku.service";
    private static final String REQUIRES = "{\"paths\": [{\"path\": \"/var/lib/kanakku\", \"access\": \"rw\"}]}";
    /** Each directive and the status a group member gets. */
    private static final Map<String, Integer> RAISING = new java.util.LinkedHashMap<>();

    static {
        RAISING.put("\"User\": \"root\"", 403);
        RAISING.put("\"ExecStartPre\": \"+/usr/bin/touch /root/PWNED\"", 403);
        RAISING.put("\"AmbientCapabilities\": \"CAP_SYS_ADMIN\"", 403);
        RAISING.put("\"NoNewPrivileges\": \"no\"", 422);
        RAISING.put("\"SupplementaryGroups\": \"shadow\"", 403);
        RAISING.put("\"ReadWritePaths\": \"/\"", 422);
        RAISING.put("\"BindPaths\": \"/etc/shadow:/var/lib/kanakku/shadow\"", 403);
        RAISING.put("\"LoadCredential\": \"s:/etc/shadow\"", 403);
        RAISING.put("\"CapabilityBoundingSet\": \"~\"", 422);
    }

    private Lab lab;

    @BeforeEach
    void install(Lab lab) {
        this.lab = lab;
        AgentLab.installAgent(lab);
        lab.exec("sh", "-c", "id ughard || useradd --system --no-create-home -G unitguard ughard").requireSuccess();
        lab.exec("sh", "-c", "test -e /etc/shadow || { echo 'root:*:19000:0:99999:7:::' > /etc/shadow; "
                + "chmod 600 /etc/shadow; }").requireSuccess();
        lab.exec("sh", "-c", "mkdir -p /var/lib/kanakku && chown -R kanakku:kanakku /var/lib/kanakku").requireSuccess();
        lab.writeFile("/etc/systemd/system/" + UNIT, """
                [Unit]
                Description=kanakku admin server

                [Service]
                User=kanakku
                ExecStart=/bin/sh -c 'while true; do date >> /var/lib/kanakku/ledger.log; sleep 1; done'
                """, "644", "root:root");
        lab.exec("rm", "-rf", "/etc/systemd/system/" + UNIT + ".d", "/var/lib/unitguard", "/root/PWNED")
                .requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "restart", UNIT).requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @AfterEach
    void uninstall() {
        AgentLab.uninstall(lab, UNIT);
        lab.exec("rm", "-rf", "/root/PWNED");
    }

    record Answer(int status, JsonNode body, String raw) {
    }

    /** A request over the socket with a body from a file, as root or as the group member ughard. */
    private Answer send(boolean member, String method, String path, String bodyFile) throws Exception {
        String as = member ? "exec setpriv --reuid=ughard --regid=$(id -g ughard) --init-groups " : "exec ";
        ExecResult result = lab.exec("sh", "-c", as + "curl -sS --max-time 60 -w '\\n%{http_code}' --unix-socket "
                + SOCKET + " -X " + method + " -H 'Content-Type: application/json' --data-binary @" + bodyFile
                + " http://localhost/v1/units/" + UNIT + path);
        String out = result.stdout();
        int nl = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(nl + 1).strip()),
                JsonBodies.MAPPER.readTree(out.substring(0, nl)), result.toString());
    }

    private Answer put(boolean member, String set, boolean force) throws Exception {
        lab.writeFile("/tmp/body.json", "{\"set\": {" + set + "}, \"requires\": " + REQUIRES
                + ", \"restart\": true, \"timeoutSeconds\": 20, \"force\": " + force + "}", "644", "root:root");
        return send(member, "PUT", "/hardening", "/tmp/body.json");
    }

    /** sha256 of /etc/shadow and of every file in the unit's drop-in directory, with their names and modes. */
    private String fileSystem() {
        return lab.exec("sh", "-c", "{ stat -c '%n %a %U:%G' /etc/shadow; sha256sum /etc/shadow; "
                + "find /etc/systemd/system/" + UNIT + ".d -exec stat -c '%n %a %U:%G' {} + 2>&1; "
                + "find /etc/systemd/system/" + UNIT + ".d -type f -exec sha256sum {} + 2>&1; ls /root; } | sha256sum")
                .requireSuccess().stdout();
    }

    @Test
    void groupMember_eachPrivilegeRaisingDirective_refusedFileSystemUnchanged() throws Exception {
        String before = fileSystem();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Integer> raising : RAISING.entrySet()) {
            Answer answer = put(true, raising.getKey(), false);
            String type = answer.body().path("type").asText();
            boolean expected = answer.status() == raising.getValue() && type.endsWith(raising.getValue() == 403
                    ? "/insufficient-scope" : "/privilege-raising")
                    && answer.body().path("detail").asText().startsWith("set.");
            if (!expected) {
                failures.add(raising.getKey() + ": " + answer.raw());
            }
            assertEquals(before, fileSystem(), raising.getKey() + " changed the file system: " + answer.raw());
        }
        Answer forced = put(true, "\"PrivateTmp\": \"yes\"", true);

        assertEquals(List.of(), failures);
        assertEquals(403, forced.status(), forced.raw());
        assertEquals(1, lab.exec("test", "-e", "/root/PWNED").exitCode(), "no command ran");
        assertEquals("active", lab.exec("systemctl", "is-active", UNIT).stdout().strip());
    }

    /** The control characters tried: NUL (systemd reads it as a line break), LF, CR, TAB, ESC and DEL. */
    private static final List<String> CONTROLS = List.of("\\u0000", "\\n", "\\r", "\\t", "\\u001b", "\\u007f");

    /**
     * Issue 9's injection: a control character at every string position of {@code set} (start, middle and end of
     * the key, of the value, and of a value in an array) is a 400 at the edge, for the group member and for root
     * (root's {@code Environment=} with an injected {@code ExecStartPre=+...} line, the attack as it was seen),
     * with the file system unchanged and no command run.
     */
    @Test
    void controlCharacterInEveryStringPositionOfSet_refused400FileSystemUnchanged() throws Exception {
        String before = fileSystem();
        List<String> failures = new ArrayList<>();
        String injected = "ExecStartPre=+/usr/bin/touch /root/PWNED";
        for (String c : CONTROLS) {
            List<String> sets = List.of(
                    "\"" + c + "ProtectSystem\": \"strict\"", "\"Protect" + c + "System\": \"strict\"",
                    "\"ProtectSystem" + c + "\": \"strict\"", "\"ProtectSystem\": \"" + c + "strict\"",
                    "\"ProtectSystem\": \"strict" + c + injected + "\"", "\"ProtectSystem\": \"strict" + c + "\"",
                    "\"InaccessiblePaths\": [\"/srv\", \"/srv" + c + injected + "\"]");
            for (String set : sets) {
                Answer member = put(true, set, false);
                if (member.status() != 400 || !member.body().path("type").asText().endsWith("/bad-request")
                        || !member.body().path("detail").asText().contains("control character")) {
                    failures.add("member " + set + ": " + member.raw());
                }
            }
            Answer root = put(false, "\"Environment\": \"A=b" + c + injected + "\"", false);
            if (root.status() != 400 || !root.body().path("detail").asText().contains("control character")) {
                failures.add("root Environment with " + c + ": " + root.raw());
            }
            assertEquals(before, fileSystem(), c + " changed the file system");
        }

        assertEquals(List.of(), failures);
        assertEquals(1, lab.exec("test", "-e", "/root/PWNED").exitCode(), "no command ran");
    }

    @Test
    void root_eachPrivilegeRaisingDirectiveWithForce_accepted() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String raising : RAISING.keySet()) {
            Answer answer = put(false, raising, true);
            String outcome = answer.body().path("outcome").asText();
            if (!(answer.status() == 200 && outcome.equals("applied")
                    || answer.status() == 409 && outcome.equals("rolled_back"))) {
                failures.add(raising + ": " + answer.raw());
            }
            lab.writeFile("/tmp/delete.json", "{\"restart\": true}", "644", "root:root");
            send(false, "DELETE", "/hardening", "/tmp/delete.json");
        }

        assertEquals(List.of(), failures);
        assertEquals(0, lab.exec("test", "-e", "/root/PWNED").exitCode(), "root's forced ExecStartPre=+ ran");
    }

    @Test
    void groupMember_duplicateMemberOrInvalidUtf8_400NothingWritten() throws Exception {
        lab.writeFile("/tmp/dup.json", "{\"set\": {\"NoNewPrivileges\": \"yes\", \"NoNewPrivileges\": \"no\"}}", "644",
                "root:root");
        byte[] bad = "{\"set\": {\"PrivateTmp\": \"yes\"}}".getBytes(StandardCharsets.UTF_8);
        bad[24] = (byte) 0xC0;   // the "y" of "yes": a lead byte followed by an ASCII letter
        lab.exec(bad, "sh", "-c", "cat > /tmp/bad.json && chmod 644 /tmp/bad.json").requireSuccess();
        String before = fileSystem();

        Answer dup = send(true, "PUT", "/hardening", "/tmp/dup.json");
        Answer utf8 = send(true, "PUT", "/hardening", "/tmp/bad.json");

        assertEquals(400, dup.status(), dup.raw());
        assertEquals("$.set.NoNewPrivileges: duplicate member (line 1, column 53): each member may appear once",
                dup.body().path("detail").asText());
        assertEquals("/set/NoNewPrivileges", dup.body().path("pointer").asText());
        assertEquals(400, utf8.status(), utf8.raw());
        assertEquals("$: the body is not valid UTF-8: byte 0xC0 at offset 24 does not form a character",
                utf8.body().path("detail").asText());
        assertEquals("", utf8.body().path("pointer").asText("absent"));
        assertEquals(before, fileSystem());
    }
}
