package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.Await;
import dev.unitguard.lab.Lab;
import dev.unitguard.probe.LabJournal;
import dev.unitguard.unit.SystemdVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Why a start failed, read from the journal even when journald reads the message only after PID 1 has reaped the
 * child that sent it. Stopping journald across the start makes that order certain (under load it happens by
 * chance): the entry then has no {@code _SYSTEMD_UNIT} and no {@code _COMM}, and {@code journalctl -u} misses it.
 * systemd 262 sends that message with the invocation ID and without the unit's name.
 */
@Tag("systemd")
class JournalctlIT {

    @ParameterizedTest(name = "systemd {0}")
    @MethodSource("dev.unitguard.lab.Lab#versions")
    void entries_childReapedBeforeJournaldReadItsMessage_whyTheStartFailedAsSystemds(SystemdVersion version)
            throws Exception {
        try (Lab lab = Lab.bootOrSkip(version)) {
            Journal journal = LabJournal.of(lab);
            String journald = lab.exec("systemctl", "show", "-p", "MainPID", "--value", "systemd-journald")
                    .requireSuccess().stdout().strip();
            Instant since = Instant.now().minusSeconds(1);
            failToStart(lab, "ug-calm");
            lab.exec("sh", "-c", "kill -STOP \"$0\"", journald).requireSuccess();
            try {
                failToStart(lab, "ug-reaped");
            } finally {
                lab.exec("sh", "-c", "kill -CONT \"$0\"", journald).requireSuccess();
            }

            List<JournalEntry> calm = untilExit(lab, journal, "ug-calm", since);
            List<JournalEntry> reaped = untilExit(lab, journal, "ug-reaped", since);
            assertTrue(calm.size() > 1, lab + ": no line but \"Started\" explains the failed start: " + calm);
            assertTrue(calm.stream().allMatch(JournalEntry::bySystemd), lab + ": " + calm);
            assertEquals(calm, reaped, lab.toString());
            List<String> dashU = lab.exec("journalctl", "-u", "ug-reaped.service", "-q", "-o", "cat").stdout().lines()
                    .toList();
            assertTrue(reaped.stream().anyMatch(e -> !dashU.contains(e.message().replace("ug-calm", "ug-reaped"))),
                    lab + ": journalctl -u finds every line itself, the race was not made: " + dashU);
        }
    }

    private static void failToStart(Lab lab, String unit) {
        lab.exec("systemd-run", "--quiet", "--wait", "--unit=" + unit, "-p", "ProtectSystem=strict", "-p",
                "ReadWritePaths=/srv/missing", "/bin/true");
    }

    /**
     * What the journal says about {@code unit}'s start up to the exit of its process, with the unit's name
     * replaced by {@code ug-calm}, once the journal holds it.
     */
    private static List<JournalEntry> untilExit(Lab lab, Journal journal, String unit, Instant since)
            throws Exception {
        String name = unit + ".service";
        Await.until(() -> lab.exec("journalctl", "-u", name, "-q", "-o", "cat").stdout().contains("Main process"),
                Duration.ofSeconds(10), lab + ": the exit of " + name);
        String invocation = lab.exec("systemctl", "show", "-p", "InvocationID", "--value", name).stdout().strip();
        List<JournalEntry> entries = journal.entries(name, invocation, since, Journal.ALL).stream()
                .map(e -> new JournalEntry(e.message().replace(unit, "ug-calm"), e.bySystemd())).toList();
        int exit = 0;
        while (exit < entries.size() && !entries.get(exit).message().contains("Main process exited")) {
            exit++;
        }
        return entries.subList(0, Math.min(exit + 1, entries.size()));
    }
}
