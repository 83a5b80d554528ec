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

    /**
     * The agent's own probe units (named as {@code Probe.name} names them) are neither listed nor given series: each
     * would add a {@code unit} label value to Prometheus per probe. Another transient unit, started the same way, is.
     */
    @Test
    void probeUnits_neitherListedNorScraped_anotherTransientUnitIs(Lab lab) throws Exception {
        this.lab = lab;
        ShippedAgent.install(lab, "{\"resyncSeconds\": 3600}");
        String probe = "unitguard-probe-ugx-0123456789ab.service";
        String other = "ugother-0123456789ab.service";
        try {
            lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
            awaitListed(lab, "unitguard.service", Duration.ofSeconds(60));
            lab.exec("systemd-run", "--unit=" + probe, "/bin/sleep", "infinity").requireSuccess();
            lab.exec("systemd-run", "--unit=" + other, "/bin/sleep", "infinity").requireSuccess();
            awaitListed(lab, other, Duration.ofSeconds(5)); // read from the signals
            assertProbeLeftOut(lab, probe, "after the signals");
            lab.exec("systemctl", "restart", "unitguard.service").requireSuccess(); // a full reading
            awaitListed(lab, other, Duration.ofSeconds(60));
            assertProbeLeftOut(lab, probe, "after a full reading");
        } finally {
            lab.exec("systemctl", "stop", probe, other);
        }
    }

    private static void assertProbeLeftOut(Lab lab, String probe, String when) throws Exception {
        String units = lab.exec("curl", "-sS", "--unix-socket", SOCKET, "http://localhost/v1/units").stdout();
        String metrics = lab.exec("curl", "-sS", "http://127.0.0.1:9647/metrics").stdout();
        assertTrue(metrics.contains("unitguard_unit_state{"), when + ": no unit series at all: " + metrics.lines()
                .limit(5).toList());
        assertTrue(!units.contains(probe), when + ": /v1/units lists " + probe);
        assertTrue(!metrics.contains(probe), when + ": /metrics has series of " + probe);
    }

    private static void awaitListed(Lab lab, String unit, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        String seen;
        while (!(seen = lab.exec("curl", "-sS", "--unix-socket", SOCKET, "http://localhost/v1/units").stdout())
                .contains("\"" + unit + "\"")) {
            assertTrue(Instant.now().isBefore(deadline), "/v1/units lists " + unit + " within " + within + ": "
                    + seen.substring(0, Math.min(300, seen.length())));
            Thread.sleep(100);
        }
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
