package dev.unitguard.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.lab.Await;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built .deb on a fresh Debian 13 host (systemd 257, an ephemeral copy of the cached trixie root, writable):
 * {@code apt-get install ./unitguard_VERSION_all.deb} brings Debian's Java runtime and starts the agent (READY=1),
 * the deploy script of docs/deploy-script.md works for a member of the group unitguard, {@code systemctl reload}
 * applies an edited /etc/unitguard/agent.json in the same process, an upgrade to a second build restarts the agent
 * and keeps the edit (conffile) and the state, remove stops it and keeps the state, purge deletes it. Prints the live
 * {@code systemd-analyze security} exposure of the installed unit, which must be at most 2.0 (the unit file justifies
 * every check that stays bad), and checks that the agent still reads the host's /tmp under its own PrivateTmp=.
 */
@LabTest(version = 257)
class PackageInstallIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String AGENT_ARCHIVE = "/var/cache/unitguard/agent.jsa";
    private static final String CLI_ARCHIVE = "/var/cache/unitguard/unitguard.jsa";
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for unitguard\\.service: (\\d+\\.\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path target = Path.of(System.getProperty("unitguard.lab.target", "target")).toAbsolutePath();
    private Lab lab;

    @Test
    void install_deployScript_reload_upgrade_remove_purge(Lab lab) throws IOException {
        this.lab = lab;
        BuiltDeb deb = BuiltDeb.in(target);
        BuiltDeb upgrade = deb.withVersion(deb.version() + "+lab1", target.resolve("upgrade"));
        // A Debian host has no "disable *" preset: deb-systemd-helper enables the unit by preset on first install.
        lab.exec("umount", "/etc/systemd/system-preset").requireSuccess();
        LabApt.download(lab, deb.in(target, "/opt/unitguard"), "curl");
        LabApt.aptGet(lab, "install", "curl").requireSuccess();

        install(deb);
        deployScript();
        reload();
        upgrade(upgrade);
        plantedArchivesAreDropped();
        remove();
        purge();
    }

    private void install(BuiltDeb deb) {
        ExecResult install = LabApt.aptGet(lab, "install", deb.in(target, "/opt/unitguard"));
        assertEquals(0, install.exitCode(), install.stdout() + install.stderr());
        assertEquals("install ok installed " + deb.version(), dpkg("${Status} ${Version}"));
        assertEquals("enabled", systemctl("is-enabled"), "enabled on first install");
        assertEquals("active", systemctl("is-active"), "started by postinst");
        // Type=notify: start returns once the agent sent READY=1.
        lab.exec("systemctl", "stop", "unitguard.service").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
        assertEquals("active", systemctl("is-active"));
        assertEquals("root:unitguard 660", stat("%U:%G %a", SOCKET));
        assertEquals("700", stat("%a", "/var/lib/unitguard"));
        assertTrue(lab.exec("unitguard", "--help").succeeded(), "/usr/bin/unitguard runs");
        // The command line's class-data sharing archive (postinst): this JDK maps it with this jar (-Xshare:on fails
        // otherwise), and it holds picocli's Java 5 class files, which only a static archive can.
        ExecResult shared = lab.exec("java", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + CLI_ARCHIVE, "-Xshare:on",
                "-Xlog:class+load=info", "-jar", "/usr/share/unitguard/unitguard.jar", "score",
                "/usr/lib/systemd/system/unitguard.service");
        assertEquals(0, shared.exitCode(), shared.stderr());
        assertTrue(shared.stdout().contains("picocli.CommandLine source: shared objects file"), shared.stdout());
        assertEquals("root:root 644", stat("%U:%G %a", CLI_ARCHIVE));

        String security = lab.exec("systemd-analyze", "security", "--no-pager", "unitguard.service").requireSuccess()
                .stdout();
        Matcher m = EXPOSURE.matcher(security);
        assertTrue(m.find(), security);
        System.err.println("PackageInstallIT: live exposure of the installed unitguard.service (systemd "
                + lab.version() + "): " + m.group(1));
        assertTrue(Double.parseDouble(m.group(1)) <= 2.0, security);
    }

    /** docs/deploy-script.md's script, run as it is written by a member of the group unitguard; then a change. */
    private void deployScript() throws IOException {
        lab.exec("groupadd", "--system", "deployers").requireSuccess();
        lab.exec("useradd", "--system", "--no-create-home", "-g", "deployers", "-G", "unitguard", "deployer")
                .requireSuccess();
        lab.exec("useradd", "--system", "--no-create-home", "outsider").requireSuccess();
        lab.writeFile("/etc/systemd/system/app.service", """
                [Service]
                ExecStart=/bin/sh -c 'touch /srv/app/data/started && exec sleep infinity'
                """, "644", "root:root");
        lab.writeFile("/etc/app/app.conf", "", "644", "root:root");
        lab.exec("mkdir", "-p", "/srv/app/data").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "app.service").requireSuccess();
        sameExposureAsTheLabsSystemd("app.service", "/etc/systemd/system/app.service");

        lab.writeFile("/usr/local/bin/deploy.sh", script(), "755", "root:root");
        ExecResult run = as("deployer", "/usr/local/bin/deploy.sh");
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        assertTrue(run.stdout().contains("safe to install the drop-in"), run.stdout());
        assertFalse(as("outsider", "curl", "-fsS", "--unix-socket", SOCKET, "http://localhost/health/ready")
                .succeeded(), "a user outside the group cannot reach the socket");

        // The agent's own /tmp and /dev are private (PrivateTmp=, PrivateDevices=); app.service sees the host's, and
        // the agent judges them as app.service sees them, through the unit's read-only binds.
        lab.writeFile("/tmp/app/in.txt", "x\n", "644", "root:root");
        JsonNode hostPaths = socket("deployer", "POST", "/v1/units/app.service/check", """
                {"set": {"ProtectSystem": "strict"}, "requires": {"paths": [{"path": "/tmp/app/in.txt", "access": "r"},
                 {"path": "/dev/net/tun", "access": "rw"}]}}""");
        assertTrue(hostPaths.path("ok").asBoolean(), hostPaths.toString());

        // The drop-in the script found safe, applied by the same member: the agent's state gets a history entry.
        JsonNode applied = socket("deployer", "PUT", "/v1/units/app.service/hardening", """
                {"set": {"ProtectSystem": "strict", "ReadWritePaths": "/srv/app/data", "PrivateTmp": "yes"},
                 "requires": {"paths": [{"path": "/srv/app/data", "access": "rw"}]}, "restart": true}""");
        assertEquals("applied", applied.path("outcome").asText(), applied.toString());
        assertEquals("644", stat("%a", "/etc/systemd/system/app.service.d/50-unitguard.conf"));
        assertEquals(1, history().size());
    }

    private void reload() {
        String pid = show("MainPID");
        lab.exec("sed", "-i", "s/\"port\": 9647/\"port\": 9648/", "/etc/unitguard/agent.json").requireSuccess();
        lab.exec("systemctl", "reload", "unitguard.service").requireSuccess();
        Await.until(() -> health(9648) && "active".equals(show("ActiveState")), Duration.ofSeconds(60),
                "the reloaded agent serving on 9648");
        assertEquals(pid, show("MainPID"), "reloaded in the same process");
        assertFalse(health(9647), "the old listener is closed");
    }

    private void upgrade(BuiltDeb upgrade) {
        String pid = show("MainPID");
        ExecResult install = LabApt.aptGet(lab, "install", upgrade.in(target, "/opt/unitguard"));
        assertEquals(0, install.exitCode(), install.stdout() + install.stderr());
        assertEquals("install ok installed " + upgrade.version(), dpkg("${Status} ${Version}"));
        assertEquals("active", systemctl("is-active"));
        assertNotEquals(pid, show("MainPID"), "restarted by the upgrade");
        assertTrue(lab.exec("grep", "-q", "\"port\": 9648", "/etc/unitguard/agent.json").succeeded(),
                "the edited conffile is kept");
        assertTrue(health(9648), "the restarted agent runs the edited configuration");
        assertEquals(1, history().size(), "the state survives the upgrade");
        // the agent's class-data sharing archive: none after the upgrade (the old agent stopped with the new jar in
        // place, so what it dumped is dropped), made by the next clean stop, root's alone, used by the next start
        assertFalse(lab.exec("test", "-e", AGENT_ARCHIVE).succeeded(), "no archive made for the old jar");
        assertEquals(0, lab.exec("systemctl", "restart", "unitguard.service").exitCode());
        assertEquals("root 400", stat("%U %a", AGENT_ARCHIVE));
        String command = lab.exec("sh", "-c", "tr '\\0' ' ' </proc/" + show("MainPID") + "/cmdline").stdout();
        assertTrue(command.contains("-XX:SharedArchiveFile=" + AGENT_ARCHIVE), command);
        assertTrue(health(9648), "the agent started with the archive serves");
    }

    /**
     * The unit's start line uses the archive only when it is a regular file, not a link, owned by root and writable by
     * nobody else; anything else in its place is removed (a link itself, not what it points to) and the agent starts
     * without it, dumping a fresh archive for the next start.
     */
    private void plantedArchivesAreDropped() {
        lab.exec("sh", "-c", "printf decoy >/root/decoy.jsa").requireSuccess();
        Map<String, String> plants = new LinkedHashMap<>();
        plants.put("group-writable", "chmod 0620 " + AGENT_ARCHIVE);
        plants.put("owned by nobody", "chown nobody " + AGENT_ARCHIVE);
        plants.put("a link", "rm -f " + AGENT_ARCHIVE + " && ln -s /root/decoy.jsa " + AGENT_ARCHIVE);
        for (Map.Entry<String, String> plant : plants.entrySet()) {
            assertEquals("root 400", stat("%U %a", AGENT_ARCHIVE), "a clean stop made the archive again");
            lab.exec("sh", "-c", plant.getValue()).requireSuccess();
            assertEquals(0, lab.exec("systemctl", "restart", "unitguard.service").exitCode());
            String command = lab.exec("sh", "-c", "tr '\\0' ' ' </proc/" + show("MainPID") + "/cmdline").stdout();
            assertFalse(command.contains("-XX:SharedArchiveFile="), plant.getKey() + ": " + command);
            assertTrue(command.contains("-XX:ArchiveClassesAtExit=" + AGENT_ARCHIVE + ".new"), command);
            assertFalse(lab.exec("test", "-e", AGENT_ARCHIVE).succeeded()
                    || lab.exec("test", "-L", AGENT_ARCHIVE).succeeded(), plant.getKey() + " archive is removed");
            assertTrue(health(9648), "the agent started without the " + plant.getKey() + " archive serves");
            assertEquals(0, lab.exec("systemctl", "restart", "unitguard.service").exitCode());
        }
        assertEquals("decoy", lab.exec("cat", "/root/decoy.jsa").requireSuccess().stdout(),
                "the link's target is untouched");
        assertEquals("root 400", stat("%U %a", AGENT_ARCHIVE));
    }

    private void remove() {
        ExecResult remove = LabApt.aptGet(lab, "remove", "unitguard");
        assertEquals(0, remove.exitCode(), remove.stdout() + remove.stderr());
        assertEquals("deinstall ok config-files", dpkg("${Status}"));
        assertEquals("inactive", systemctl("is-active"), "stopped on remove");
        assertFalse(lab.exec("test", "-e", "/usr/share/unitguard/unitguard.jar").succeeded());
        assertTrue(lab.exec("grep", "-q", "\"port\": 9648", "/etc/unitguard/agent.json").succeeded(),
                "remove keeps the configuration");
        assertNotEquals("", lab.exec("find", "/var/lib/unitguard", "-type", "f").stdout().strip(),
                "remove keeps the state");
    }

    private void purge() {
        ExecResult purge = LabApt.aptGet(lab, "purge", "unitguard");
        assertEquals(0, purge.exitCode(), purge.stdout() + purge.stderr());
        assertFalse(lab.exec("dpkg-query", "-W", "unitguard").succeeded(), "dpkg forgot the package");
        for (String gone : new String[] {"/var/lib/unitguard", "/var/cache/unitguard", "/etc/unitguard"}) {
            assertFalse(lab.exec("test", "-e", gone).succeeded(), gone + " is removed by purge");
        }
        assertEquals("", lab.exec("find", "/etc/systemd/system", "-name", "unitguard.service").stdout().strip(),
                "no enablement link is left");
    }

    /** The first sh block of docs/deploy-script.md. */
    private static String script() throws IOException {
        String doc = Files.readString(Path.of("../docs/deploy-script.md"));
        int start = doc.indexOf("```sh\n");
        int end = doc.indexOf("\n```", start + 6);
        assertTrue(start >= 0 && end > start, "docs/deploy-script.md has no sh block");
        return doc.substring(start + 6, end + 1);
    }

    private ExecResult as(String user, String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "setpriv";
        full[1] = "--reuid=" + user;
        full[2] = "--regid=" + lab.exec("id", "-g", user).requireSuccess().stdout().strip();
        full[3] = "--init-groups";
        System.arraycopy(command, 0, full, 4, command.length);
        return lab.exec(full);
    }

    private JsonNode socket(String user, String method, String path, String body) throws IOException {
        ExecResult result = as(user, "curl", "-sS", "--max-time", "90", "--unix-socket", SOCKET, "-X", method,
                "-H", "Content-Type: application/json", "--data-binary", body, "http://localhost" + path)
                .requireSuccess();
        return JSON.readTree(result.stdout());
    }

    /**
     * The agent scores a unit with the tables of the systemd it runs on (the lab's, 257 or later, not 252) and as the
     * running systemd does: equal to the live {@code systemd-analyze security UNIT} there (not {@code --offline=true},
     * which counts PrivateMounts= differently), and it says which release and mode it modelled.
     */
    private void sameExposureAsTheLabsSystemd(String unit, String file) throws IOException {
        String live = lab.exec("systemd-analyze", "security", "--no-pager", unit).requireSuccess().stdout();
        String offline = lab.exec("systemd-analyze", "security", "--offline=true", "--no-pager", file)
                .requireSuccess().stdout();
        Pattern overall = Pattern.compile("Overall exposure level for " + Pattern.quote(unit) + ": (\\d+\\.\\d+)");
        Matcher m = overall.matcher(live);
        assertTrue(m.find(), live);
        Matcher o = overall.matcher(offline);
        assertTrue(o.find(), offline);
        ExecResult answer = lab.exec("curl", "-fsS", "--max-time", "30", "--unix-socket", SOCKET,
                "http://localhost/v1/units/" + unit).requireSuccess();
        JsonNode exposure = JSON.readTree(answer.stdout()).path("exposure");
        String agent = exposure.path("score").asText();
        System.err.println("PackageInstallIT: " + unit + " exposure, agent " + agent + " (" + exposure.path("mode")
                .asText() + "), systemd-analyze (systemd " + lab.version() + ") live " + m.group(1) + ", offline "
                + o.group(1));
        assertEquals(m.group(1), agent, answer.stdout());
        assertEquals("live", exposure.path("mode").asText(), answer.stdout());
        assertEquals(lab.version().number(), exposure.path("systemdVersion").asInt(), answer.stdout());
    }

    private JsonNode history() {
        ExecResult result = lab.exec("curl", "-fsS", "--max-time", "30", "--unix-socket", SOCKET,
                "http://localhost/v1/units/app.service/history").requireSuccess();
        try {
            return JSON.readTree(result.stdout()).path("entries");
        } catch (IOException e) {
            throw new AssertionError("history is not JSON: " + result.stdout(), e);
        }
    }

    private boolean health(int port) {
        return lab.exec("curl", "-fsS", "-o", "/dev/null", "--max-time", "10",
                "http://127.0.0.1:" + port + "/health/ready").succeeded();
    }

    private String dpkg(String format) {
        return lab.exec("dpkg-query", "-W", "-f=" + format, "unitguard").requireSuccess().stdout().strip();
    }

    private String systemctl(String verb) {
        return lab.exec("systemctl", verb, "unitguard.service").stdout().strip();
    }

    private String show(String property) {
        return lab.exec("systemctl", "show", "-P", property, "unitguard.service").stdout().strip();
    }

    private String stat(String format, String path) {
        return lab.exec("stat", "-c", format, path).requireSuccess().stdout().strip();
    }
}
