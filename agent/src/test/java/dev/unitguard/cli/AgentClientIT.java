package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The command line against the real agent: the shaded jar run in the lab with the launcher's JVM flags, talking to
 * units/unitguard.service over its Unix socket (Vert.x client to Vert.x server, the JDK's sockets on both sides).
 */
@LabTest
class AgentClientIT {

    private static final String UNIT = "cliclient.service";
    private static final String SOCKET = "/run/unitguard/agent.sock";

    private Lab lab;

    @BeforeEach
    void install(Lab lab) {
        this.lab = lab;
        ShippedAgent.install(lab);
        lab.writeFile("/etc/systemd/system/" + UNIT, "[Service]\nExecStart=/bin/sleep infinity\n", "644",
                "root:root");
        lab.writeFile("/tmp/requires.json", "{\"paths\": []}", "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", UNIT).requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @AfterEach
    void uninstall() {
        lab.exec("systemctl", "stop", "unitguard.service", UNIT);
        lab.exec("rm", "-rf", "/etc/systemd/system/" + UNIT, "/etc/systemd/system/" + UNIT + ".d",
                "/var/lib/unitguard");
        lab.exec("systemctl", "daemon-reload");
    }

    /** The CLI as /usr/bin/unitguard starts it (packaging/deb/unitguard), as {@code user}. */
    private ExecResult unitguard(String user, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "exec setpriv --reuid=$(id -u \"$0\") --regid=$(id -g \"$0\") --init-groups \"$@\"", user,
                "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", "/opt/unitguard/unitguard.jar"));
        command.addAll(List.of(args));
        return lab.exec(command.toArray(String[]::new));
    }

    private String privateTmp() {
        return lab.exec("systemctl", "show", "-P", "PrivateTmp", UNIT).stdout().strip();
    }

    @Test
    void applyAgainThenRollback_printTheAgentsAnswers() throws Exception {
        ExecResult applied = unitguard("root", "apply", "--unit", UNIT, "--set", "PrivateTmp=yes", "--requires",
                "/tmp/requires.json", "--idempotency-key", "cli-it-1");
        assertEquals("", applied.stderr(), applied.toString());
        assertEquals(0, applied.exitCode(), applied.toString());
        assertTrue(applied.stdout().matches(UNIT + ": applied \\(history entry \\d+\\), not restarted\n"),
                applied.toString());
        assertEquals("yes", privateTmp());

        ExecResult again = unitguard("root", "apply", "--unit", UNIT, "--set", "PrivateTmp=yes", "--requires",
                "/tmp/requires.json");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(UNIT + ": unchanged, nothing written, reloaded or restarted\n", again.stdout());

        ExecResult rolledBack = unitguard("root", "rollback", "--unit", UNIT, "--json");
        assertEquals(0, rolledBack.exitCode(), rolledBack.toString());
        assertEquals("applied", new ObjectMapper().readTree(rolledBack.stdout()).path("outcome").asText(),
                rolledBack.toString());
        assertEquals("no", privateTmp());
    }

    @Test
    void userOutsideTheSocketsGroup_isToldPermissionDenied() {
        ExecResult denied = unitguard("nobody", "rollback", "--unit", UNIT);

        assertEquals(2, denied.exitCode(), denied.toString());
        assertEquals("unitguard: agent unreachable at " + SOCKET + ": Permission denied\n", denied.stderr());
    }
}
