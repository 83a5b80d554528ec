package dev.unitguard.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The unit-state cache after a {@code daemon-reload}: systemd signals {@code Reloading(true)}, a {@code UnitNew} for
 * every unit it loaded again, then {@code Reloading(false)}. The cache re-reads every loaded service once (the
 * docs' promise: a reload re-reads all), not once per signal kind: counted as the agent's {@code GetUnit} calls
 * ({@code busctl monitor} on its bus names) against the service units systemd lists. And what the reload changed
 * shows in {@code /v1/units} within a second or two.
 */
@LabTest
class UnitStateCacheIT {

    private static final String UNIT = "ugreload.service";
    private static final String SOCKET = "/run/unitguard/agent.sock";

    /** The agent's GetUnit calls in the 4 s after one daemon-reload, and the loaded service units: {@code CALLS N}. */
    private static final String RELOAD = """
            P=$1
            names=$(busctl list --unique --no-legend --no-pager | awk -v p="$P" '$2 == p {print $1}')
            [ -n "$names" ] || { echo "no bus connection of pid $P" >&2; exit 3; }
            timeout 5 busctl monitor --json=short $names > /run/ug-reload.json &
            sleep 1
            systemctl daemon-reload
            wait
            echo "$(grep '"type":"method_call"' /run/ug-reload.json | grep -c '"member":"GetUnit"')\
             $(systemctl list-units --all --type=service --plain --no-legend | awk '$2 == "loaded"' | wc -l)"
            """;

    private Lab lab;

    @AfterEach
    void uninstall() {
        if (lab != null) {
            ShippedAgent.uninstall(lab, List.of(UNIT), "/etc/systemd/system/" + UNIT + ".d");
        }
    }

    @Test
    void daemonReload_readsEachLoadedServiceOnce_andShowsTheChange(Lab lab) throws Exception {
        this.lab = lab;
        // the periodic resync (a ListUnits and the units that differ) is pushed out of the window
        ShippedAgent.install(lab, "{\"resyncSeconds\": 3600}");
        lab.writeFile("/etc/systemd/system/" + UNIT, """
                [Unit]
                Description=before the reload

                [Service]
                ExecStart=/bin/sleep infinity
                """, "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", UNIT, "unitguard.service").requireSuccess();
        awaitDescription(lab, "before the reload", Duration.ofSeconds(60));
        Thread.sleep(2000);

        ExecResult measured = lab.exec("sh", "-c", RELOAD, "sh", Long.toString(ShippedAgent.mainPid(lab)))
                .requireSuccess();
        String[] f = measured.stdout().strip().split("\\s+");
        int calls = Integer.parseInt(f[0]);
        int services = Integer.parseInt(f[1]);
        String numbers = calls + " GetUnit calls after one daemon-reload, " + services + " service units loaded";
        assertTrue(calls >= services, "every loaded service is read again: " + numbers);
        assertTrue(calls <= services + services / 10, "each once: " + numbers);

        lab.exec("mkdir", "-p", "/etc/systemd/system/" + UNIT + ".d").requireSuccess();
        lab.writeFile("/etc/systemd/system/" + UNIT + ".d/10-description.conf",
                "[Unit]\nDescription=after the reload\n", "644", "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        awaitDescription(lab, "after the reload", Duration.ofSeconds(3));
    }

    private static void awaitDescription(Lab lab, String description, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        java.util.regex.Pattern shown = java.util.regex.Pattern.compile("\"description\"\\s*:\\s*\""
                + description + "\"");
        String seen;
        while (!shown.matcher(seen = lab.exec("curl", "-sS", "--unix-socket", SOCKET, "http://localhost/v1/units")
                .stdout()).find()) {
            assertTrue(Instant.now().isBefore(deadline), "/v1/units shows \"" + description + "\" within " + within
                    + ": " + seen.substring(0, Math.min(300, seen.length())));
            Thread.sleep(100);
        }
    }
}
