package dev.unitguard.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The agent on an idle host after many transient units came and went: systemd unloads each of them and signals
 * {@code UnitRemoved}; an agent that reads a unit on that signal loads it again, systemd collects the stub and
 * signals once more, forever. Measured here: the agent's CPU time and the D-Bus method calls it sends
 * ({@code busctl monitor} on its own bus names) over 30 idle seconds.
 */
@LabTest
class IdleAgentIT {

    private static final int TRANSIENT_UNITS = 200;
    private static final int WINDOW_SECONDS = 30;

    /**
     * CPU ticks of the agent and of PID 1 before and after the window, the method calls the agent sent in it, and
     * (the control) those it sent while one more transient unit ran long enough to be read:
     * {@code CLK_TCK A0 A1 S0 S1 CALLS CONTROL}.
     */
    private static final String MEASURE = """
            P=$1; W=$2
            names=$(busctl list --unique --no-legend --no-pager | awk -v p="$P" '$2 == p {print $1}')
            [ -n "$names" ] || { echo "no bus connection of pid $P" >&2; exit 3; }
            ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
            a0=$(ticks "$P"); s0=$(ticks 1)
            timeout "$W" busctl monitor --json=short $names > /run/ug-idle.json
            a1=$(ticks "$P"); s1=$(ticks 1)
            timeout 4 busctl monitor --json=short $names > /run/ug-control.json &
            sleep 1; systemd-run --quiet --unit=ugidle-control /bin/sleep 2; wait
            echo "$(getconf CLK_TCK) $a0 $a1 $s0 $s1 $(grep -c '"type":"method_call"' /run/ug-idle.json)\
             $(grep -c '"type":"method_call"' /run/ug-control.json)"
            grep '"type":"method_call"' /run/ug-idle.json | grep -o '"path":"[^"]*","interface":"[^"]*","member":"[A-Za-z]*"' | tr '\n' ' '
            grep -v '"type":"method_call"' /run/ug-idle.json | cut -c1-300 | head -5 | tr '\\n' ' '
            """;

    @Test
    void idle_after200TransientUnits_agentUnderOnePercentOfACoreAndNoBusCalls(Lab lab) throws Exception {
        // The periodic resync (one ListUnits per interval, by design) is pushed out of the window.
        ShippedAgent.install(lab, "{\"resyncSeconds\": 3600}");
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();

        lab.exec("sh", "-c", "for i in $(seq " + TRANSIENT_UNITS + "); do "
                + "systemd-run --quiet --unit=ugidle-$i /bin/true || exit 1; done").requireSuccess();
        awaitUnloaded(lab);
        Thread.sleep(5000);

        long pid = ShippedAgent.mainPid(lab);
        ExecResult measured = lab.exec("sh", "-c", MEASURE, "sh", Long.toString(pid),
                Integer.toString(WINDOW_SECONDS)).requireSuccess();
        String[] lines = measured.stdout().strip().split("\n", 2);
        String[] f = lines[0].strip().split("\\s+");
        double tick = Double.parseDouble(f[0]);
        double agentCore = (Long.parseLong(f[2]) - Long.parseLong(f[1])) / tick / WINDOW_SECONDS;
        double pid1Core = (Long.parseLong(f[4]) - Long.parseLong(f[3])) / tick / WINDOW_SECONDS;
        String numbers = String.format("agent %.2f%% of a core, PID 1 %.2f%%, %s D-Bus calls in %d s "
                + "(control: %s)%s", agentCore * 100, pid1Core * 100, f[5], WINDOW_SECONDS, f[6],
                lines.length > 1 ? "; calls in the window: " + lines[1].strip() : "");

        assertTrue(Integer.parseInt(f[6]) > 0, "the monitor sees the agent's calls when it reads: " + numbers);
        assertEquals("0", f[5], numbers);
        assertTrue(agentCore < 0.01, numbers);
        assertEquals("active", lab.exec("systemctl", "show", "-P", "ActiveState", "unitguard.service").stdout()
                .strip());
    }

    private static void awaitUnloaded(Lab lab) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String left;
        while (!(left = lab.exec("sh", "-c", "systemctl list-units --all --plain --no-legend 'ugidle-*' | wc -l")
                .requireSuccess().stdout().strip()).equals("0")) {
            assertTrue(Instant.now().isBefore(deadline), left + " transient units still loaded");
            Thread.sleep(250);
        }
    }
}
