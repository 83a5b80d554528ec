package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.ALICE;
import static dev.unitguard.apply.ApplyFixture.UNIT;
import static dev.unitguard.apply.ApplyFixture.dropInFor;
import static dev.unitguard.apply.ApplyFixture.hardening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine stopped dead at each step (an Error thrown from the step hook, which no cleanup code catches, as
 * SIGKILL would), then a fresh engine recovers: the drop-in is always a whole version, the journal and temporary files
 * are gone, the change is undone (or finished once verified) and recorded exactly once.
 */
class CrashRecoveryTest {

    private static final Map<String, String> OLD = Map.of("ProtectSystem", "strict");
    private static final Map<String, String> NEW = Map.of("ProtectSystem", "strict", "PrivateTmp", "yes");
    private static final Map<String, String> BREAKING = Map.of("ProtectSystem", "strict",
            "ReadWritePaths", "/missing");

    @TempDir
    Path dir;
    private ApplyFixture fx;

    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(Step step) {
            super("crash at " + step);
        }
    }

    @BeforeEach
    void previousVersion() throws Exception {
        fx = new ApplyFixture(dir);
        fx.service().applyHardening(hardening(OLD, false), ALICE);
        fx.systemd.calls.clear();
    }

    @ParameterizedTest(name = "{0} #{1} with {2} -> {3}")
    @CsvSource({
            "SAVED_PREVIOUS, 1, NEW, none",
            "JOURNAL_PREPARED, 1, NEW, undone",
            "TEMP_WRITTEN, 1, NEW, undone",
            "TARGET_REPLACED, 1, NEW, undone",
            "JOURNAL_WRITTEN, 1, NEW, undone",
            "RELOADED, 1, NEW, undone",
            "RESTARTED, 1, NEW, undone",
            "VERIFIED, 1, NEW, finished",
            "HISTORY_WRITTEN, 1, NEW, finished",
            "RESTARTED, 1, BREAKING, undone",
            "ROLLING_BACK, 1, BREAKING, undone",
            "TEMP_WRITTEN, 2, BREAKING, undone",
            "TARGET_REPLACED, 2, BREAKING, undone",
            "RESTARTED, 2, BREAKING, undone",
    })
    void recover_crashAtStep_wholeVersionAndChangeFinishedOrUndone(Step step, int occurrence, String candidate,
                                                                    String action) throws Exception {
        Map<String, String> set = candidate.equals("NEW") ? NEW : BREAKING;
        AtomicInteger seen = new AtomicInteger();
        fx.hook = s -> {
            if (s == step && seen.incrementAndGet() == occurrence) {
                throw new SimulatedCrash(s);
            }
        };
        ApplyService crashing = fx.service();

        assertThrows(SimulatedCrash.class, () -> crashing.applyHardening(hardening(set, true), ALICE));

        Optional<String> onDisk = fx.dropInText();
        assertTrue(onDisk.equals(Optional.of(dropInFor(OLD))) || onDisk.equals(Optional.of(dropInFor(set))),
                "partial drop-in: " + onDisk);
        fx.hook = StepHook.NONE;
        fx.systemd.calls.clear();

        List<Recovered> recovered = fx.service().recover();

        assertEquals(action.equals("none") ? List.of() : List.of(action),
                recovered.stream().map(Recovered::action).toList());
        assertEquals(Optional.of(dropInFor(action.equals("finished") ? set : OLD)), fx.dropInText());
        assertEquals(List.of(), fx.temporaries());
        assertEquals(List.of(), fx.journalFiles());
        assertEquals("active", fx.systemd.state(UNIT).activeState());
        List<HistoryEntry> history = fx.service().history(UNIT);
        assertEquals(action.equals("none") ? 1 : 2, history.size());
        if (!action.equals("none")) {
            HistoryEntry last = history.get(1);
            assertEquals(action.equals("finished") ? Outcome.APPLIED : Outcome.INTERRUPTED_UNDONE, last.outcome());
            assertEquals(dropInFor(set), last.after());
            assertEquals(dropInFor(OLD), last.before());
        }
        // from JOURNAL_WRITTEN on, the journal says the file was written: the unit may run the new version
        boolean restartedBeforeCrash = step.compareTo(Step.JOURNAL_WRITTEN) >= 0 || occurrence == 2;
        boolean expectRestart = action.equals("undone") && restartedBeforeCrash;
        assertEquals(expectRestart ? List.of("reload", "restart app.service")
                : action.equals("undone") ? List.of("reload") : List.of(), fx.systemd.calls);
        assertEquals(List.of(), fx.service().recover());
    }
}
