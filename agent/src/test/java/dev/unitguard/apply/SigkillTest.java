package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real SIGKILL: a child JVM applies drop-ins in a loop and is killed at a random moment (seeded); the drop-in on
 * disk is always one whole version, and recovery leaves no journal and no temporary file.
 */
class SigkillTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void sigkill_duringApplies_wholeDropInAndRecovered(long seed) throws Exception {
        ApplyFixture fx = new ApplyFixture(dir);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ApplyLoop.class.getName(), fx.root.toString(),
                fx.state.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("ready", out.readLine());
            Thread.sleep(50 + new Random(seed).nextInt(400));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }

        List<Optional<String>> whole = new ArrayList<>(List.of(Optional.empty()));
        for (int i = 0; i < ApplyLoop.VARIANTS; i++) {
            whole.add(Optional.of(ApplyFixture.dropInFor(ApplyLoop.variant(i))));
        }
        assertTrue(whole.contains(fx.dropInText()), "partial drop-in after SIGKILL");
        List<Recovered> recovered = fx.service().recover();
        assertTrue(recovered.size() <= 1, recovered.toString());
        assertTrue(whole.contains(fx.dropInText()));
        assertEquals(List.of(), fx.temporaries());
        assertEquals(List.of(), fx.journalFiles());
        List<HistoryEntry> history = fx.service().history(ApplyFixture.UNIT);
        for (int i = 1; i < history.size(); i++) {
            assertEquals(history.get(i - 1).after(), history.get(i).before(), "history chain broken at " + i);
        }
    }
}
