package dev.unitguard.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.lab.ShippedAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent started through the shipped unit on a host with 200, then 2000 loaded transient units: READY=1 comes
 * once the listeners are up and a first page of units is read, {@code /health/ready} says how far the rest is, every
 * unit is listed by {@code /v1/units} once the reading is over, and the agent's memory grows by tens of KB a unit at
 * most.
 * Runs the whole shipped unit: its first clean stop makes the class-data sharing archive the measured starts use.
 * Prints the time to READY=1, the time to the end of the first reading and the resident memory at each count.
 */
@LabTest
class ScaleAgentIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    /** The agent's class-data sharing archive, made by the shipped unit at a clean stop. */
    private static final String ARCHIVE = "/var/cache/unitguard/agent.jsa";
    /**
     * "Memory flat in units": what one more unit may add to the agent's peak resident memory (its cached state, its
     * metric series, and the heap SerialGC keeps free beside them). The first run measured 29 KB.
     */
    private static final long RSS_KB_PER_UNIT = 48;
    /** The shipped unit's MemoryMax=. */
    private static final long MEMORY_MAX_KB = 384 * 1024;

    private Lab lab;

    /** What one start measured. */
    record Start(int units, long readyMillis, String atReady, long readMillis, long rssKb, long peakKb,
                 int listed) {
        @Override
        public String toString() {
            return String.format("%d units: READY=1 after %d ms (%s), all read %d ms after READY=1, RSS %d MB "
                    + "(peak %d MB), %d listed", units, readyMillis, atReady, readMillis, rssKb / 1024,
                    peakKb / 1024, listed);
        }
    }

    @AfterEach
    void uninstall() {
        if (lab != null) {
            lab.exec("sh", "-c", "systemctl stop 'ugscale-*'; systemctl reset-failed 'ugscale-*'");
            ShippedAgent.uninstall(lab, List.of(), "/etc/unitguard", "/etc/systemd/system/unitguard.service.d",
                    "/etc/systemd/system/unitguard.service", ARCHIVE, ARCHIVE + ".new", ARCHIVE + ".stamp");
        }
    }

    @Test
    void start_200Then2000TransientUnits_readyAfterFirstPage_allListedLater_memoryFlat(Lab lab) throws Exception {
        this.lab = lab;
        // the periodic resync is pushed out of the measurement: only the first reading is measured
        ShippedAgent.install(lab, "{\"resyncSeconds\": 3600}");
        // measured as shipped: the whole unit (JVM flags, heap bound, class-data sharing archive made at the first
        // clean stop and used from the next start), only the jar's path changed to where the lab has it
        lab.writeFile("/etc/systemd/system/unitguard.service", shippedUnit(), "644", "root:root");
        lab.exec("rm", "-rf", "/etc/systemd/system/unitguard.service.d", ARCHIVE).requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
        lab.exec("systemctl", "stop", "unitguard.service").requireSuccess();
        String archive = lab.exec("stat", "-c", "%U %a %F", ARCHIVE).stdout().strip();
        assertEquals("root 400 regular file", archive, "the archive made at the first clean stop");

        Start small = start(200);
        Start large = start(2000);
        String numbers = small + "; " + large + "; load " + lab.exec("cat", "/proc/loadavg").stdout().strip();
        System.out.println("ScaleAgentIT: " + numbers);

        assertTrue(javaCommand().contains("-XX:SharedArchiveFile=" + ARCHIVE), "started with the archive: "
                + javaCommand());
        assertEquals(200, small.listed(), numbers);
        assertEquals(2000, large.listed(), numbers);
        // READY=1 waits for the first page only: the rest is still being read then, and /health/ready says so. The
        // time itself (the goal: 3 s at 2000 units) is printed, not asserted: on a shared machine the JVM's
        // own start varies by seconds.
        assertTrue(large.atReady().matches("\"units\" : \"reading: [1-9][0-9]* of [0-9]+ service units read.*"),
                "READY=1 after a first page, before the rest: " + numbers);
        assertTrue(large.peakKb() - small.peakKb() <= RSS_KB_PER_UNIT * 1800, "memory per unit: " + numbers);
        assertTrue(large.peakKb() < MEMORY_MAX_KB, "under MemoryMax=: " + numbers);
    }

    /** Makes {@code units} transient units loaded (RemainAfterExit=yes), (re)starts the agent and measures. */
    private Start start(int units) throws Exception {
        int loaded = Integer.parseInt(lab.exec("sh", "-c",
                "systemctl list-units --plain --no-legend 'ugscale-*' | wc -l").stdout().strip());
        lab.exec(Duration.ofMinutes(10), new byte[0], "sh", "-c", "seq " + (loaded + 1) + " " + units
                + " | xargs -r -P 4 -I{} systemd-run --quiet --unit=ugscale-{} -p RemainAfterExit=yes /bin/true")
                .requireSuccess();
        assertEquals(Integer.toString(units), lab.exec("sh", "-c",
                "systemctl list-units --plain --no-legend 'ugscale-*' | wc -l").stdout().strip());

        lab.exec("systemctl", "restart", "unitguard.service").requireSuccess();
        String atReady = ready().lines().filter(l -> l.contains("\"units\"")).findFirst().map(String::strip)
                .orElse("\"units\" check gone: every unit read");
        long readyMicros = Long.parseLong(show("ActiveEnterTimestampMonotonic"))
                - Long.parseLong(show("ExecMainStartTimestampMonotonic"));
        Instant readyAt = Instant.now();

        Instant deadline = readyAt.plus(Duration.ofMinutes(3));
        while (ready().contains("\"units\"")) {
            assertTrue(Instant.now().isBefore(deadline), "first reading not over after 3 minutes: " + ready());
            Thread.sleep(100);
        }
        long readMillis = Duration.between(readyAt, Instant.now()).toMillis();
        long pid = ShippedAgent.mainPid(lab);
        long rss = statusKb(pid, "VmRSS");
        long peak = statusKb(pid, "VmHWM");
        ExecResult list = lab.exec("sh", "-c", "curl -sS --unix-socket " + SOCKET + " http://localhost/v1/units"
                + " | grep -o '\"ugscale-[0-9]*[.]service\"' | sort -u | wc -l").requireSuccess();
        return new Start(units, readyMicros / 1000, atReady, readMillis, rss, peak,
                Integer.parseInt(list.stdout().strip()));
    }

    /** The shipped unit, the jar where the lab has it. */
    private static String shippedUnit() throws IOException {
        String unit = Files.readString(Path.of("../units/unitguard.service"));
        assertTrue(unit.contains("/usr/share/unitguard/unitguard.jar"), "the shipped unit runs the packaged jar");
        return unit.replace("/usr/share/unitguard/unitguard.jar", "/opt/unitguard/unitguard.jar");
    }

    /** The running agent's command line. */
    private String javaCommand() {
        return lab.exec("sh", "-c", "tr '\\0' ' ' </proc/" + ShippedAgent.mainPid(lab) + "/cmdline").stdout();
    }

    private String ready() {
        ExecResult r = lab.exec("curl", "-sS", "--max-time", "10", "--unix-socket", SOCKET,
                "http://localhost/health/ready");
        assertTrue(r.stdout().contains("\"status\" : \"up\""), "ready: " + r);
        return r.stdout();
    }

    private String show(String property) {
        return lab.exec("systemctl", "show", "-P", property, "unitguard.service").requireSuccess().stdout().strip();
    }

    private long statusKb(long pid, String field) {
        String line = lab.exec("grep", "^" + field + ":", "/proc/" + pid + "/status").requireSuccess().stdout();
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
