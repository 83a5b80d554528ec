package dev.unitguard.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.Await;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code systemctl reload unitguard} through the shipped unit (ExecReload= sends SIGHUP): a bad configuration is
 * logged and the running one kept, a good one takes effect in the same process, and the journal says "unitguard".
 */
@LabTest
class AgentReloadIT {

    private Lab lab;

    @BeforeEach
    void install(Lab lab) throws Exception {
        this.lab = lab;
        ShippedAgent.install(lab);
    }

    @AfterEach
    void uninstall() {
        ShippedAgent.uninstall(lab, List.of(), "/etc/unitguard");
    }

    private void config(String json) {
        lab.writeFile("/etc/unitguard/agent.json", json, "644", "root:root");
    }

    private String show(String property) {
        return lab.exec("systemctl", "show", "-P", property, "unitguard.service").stdout().strip();
    }

    private ExecResult health(int port) {
        return lab.exec("curl", "-sS", "--max-time", "20", "http://127.0.0.1:" + port + "/health/ready");
    }

    private String journal() {
        return lab.exec("journalctl", "-b", "-o", "cat", "SYSLOG_IDENTIFIER=unitguard").stdout();
    }

    @Test
    void reload_badThenGoodConfiguration_keepsOldThenAppliesNewInTheSameProcess() {
        config("{\"tcp\": {\"port\": 9647}}");
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
        String pid = show("MainPID");
        assertEquals(0, health(9647).exitCode(), health(9647).toString());

        config("{\"tcp\": {\"port\": \"nine\"}}");
        lab.exec("systemctl", "reload", "unitguard.service").requireSuccess();
        waitFor(() -> journal().contains("keeping the running configuration"));
        // RELOADING=1 put the unit in "reloading"; READY=1 follows the log line and ends it.
        waitFor(() -> show("ActiveState").equals("active"));
        assertEquals(pid, show("MainPID"));
        assertEquals(0, health(9647).exitCode(), "the old configuration still serves");
        assertTrue(journal().contains("tcp.port: expected an integer"), journal());

        config("{\"tcp\": {\"port\": 9648}}");
        lab.exec("systemctl", "reload", "unitguard.service").requireSuccess();
        waitFor(() -> health(9648).exitCode() == 0);
        waitFor(() -> show("ActiveState").equals("active"));
        assertEquals(pid, show("MainPID"), "reloaded, not restarted");
        assertEquals("0", show("NRestarts"));
        assertTrue(health(9647).exitCode() != 0, "the old listener is closed");
        assertTrue(journal().contains("reload: new configuration in force"), journal());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        Await.until(condition, Duration.ofSeconds(60), "condition");
    }
}
