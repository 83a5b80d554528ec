package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

    private static final int FOUR_MB = 4 * 1024 * 1024;
    private static final ProcessRunner RUNNER = ProcessRunner.withTimeout(Duration.ofSeconds(30));

    @Test
    void run_childSleepsPastTimeout_killedAndReportedQuickly() throws Exception {
        long start = System.nanoTime();

        ProcessResult result = ProcessRunner.withTimeout(Duration.ofMillis(300)).run(List.of("sleep", "60"));

        long millis = (System.nanoTime() - start) / 1_000_000;
        ProcessResult.TimedOut timedOut = assertInstanceOf(ProcessResult.TimedOut.class, result);
        assertEquals(List.of("sleep", "60"), timedOut.command());
        assertEquals("sleep 60 did not finish within 300 ms", timedOut.describe());
        assertTrue(millis < 5000, "took " + millis + " ms");
        IOException e = assertThrows(IOException.class, result::exited);
        assertEquals("sleep 60 did not finish within 300 ms", e.getMessage());
    }

    @Test
    void run_timeout_killsDescendantsAndKeepsOutputSoFar() throws Exception {
        ProcessResult result = ProcessRunner.withTimeout(Duration.ofMillis(500))
                .run(List.of("sh", "-c", "sleep 60 & echo $!; wait"));

        ProcessResult.TimedOut timedOut = assertInstanceOf(ProcessResult.TimedOut.class, result);
        long sleeper = Long.parseLong(timedOut.stdout().text().strip());
        assertFalse(timedOut.stdout().truncated());
        assertTrue(ends(sleeper, Duration.ofSeconds(5)), "the descendant sleep " + sleeper + " still runs");
    }

    /** Whether process {@code pid} is gone (or a zombie: killed, not yet reaped by its new parent) within the time. */
    private static boolean ends(long pid, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        do {
            try {
                String fields = Files.readString(stat);
                if (fields.substring(fields.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (NoSuchFileException e) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    @Test
    void run_fourMegabytesOnEachStream_completesWithAllOfIt() throws Exception {
        ProcessResult result = RUNNER.maxOutput(FOUR_MB, FOUR_MB).run(List.of("sh", "-c",
                "head -c " + FOUR_MB + " /dev/zero >&2; head -c " + FOUR_MB + " /dev/zero; echo done >&2"));

        ProcessResult.Exited exited = assertInstanceOf(ProcessResult.Exited.class, result);
        assertEquals(0, exited.status());
        assertEquals(FOUR_MB, exited.stdout().bytes().length);
        assertFalse(exited.stdout().truncated());
        assertEquals(FOUR_MB, exited.stderr().bytes().length);
        assertTrue(exited.stderr().truncated(), "the stderr bound is the 4 MB of zeros, not the line after them");
    }

    @Test
    void run_outputOverBound_keepsTheFirstBytesAndFlagsTruncated() throws Exception {
        ProcessResult.Exited exited = RUNNER.maxOutput(5, 3)
                .run(List.of("sh", "-c", "printf 0123456789; printf abcdef >&2")).exited();

        assertEquals("01234", exited.stdout().text());
        assertTrue(exited.stdout().truncated());
        assertEquals("abc", exited.stderr().text());
        assertTrue(exited.stderr().truncated());
        assertEquals(0, exited.status());
    }

    @Test
    void run_outputWithinBound_notTruncated() throws Exception {
        ProcessResult.Exited exited = RUNNER.maxOutput(10, 10).run(List.of("printf", "0123456789")).exited();

        assertEquals(new ProcessResult.Output("0123456789".getBytes(StandardCharsets.UTF_8), false), exited.stdout());
    }

    @Test
    void run_exitStatus_reported() throws Exception {
        ProcessResult.Exited exited = RUNNER.run(List.of("sh", "-c", "echo oops >&2; exit 3")).exited();

        assertEquals(3, exited.status());
        assertFalse(exited.succeeded());
        assertEquals(List.of("oops"), exited.stderr().lines());
    }

    @Test
    void run_missingBinary_notStartedNamingTheProgram() throws Exception {
        ProcessResult result = RUNNER.run(List.of("/nonexistent/unitguard-no-such-program", "x"));

        ProcessResult.NotStarted notStarted = assertInstanceOf(ProcessResult.NotStarted.class, result);
        assertEquals("cannot run /nonexistent/unitguard-no-such-program: No such file or directory",
                notStarted.reason());
        IOException e = assertThrows(IOException.class, result::exited);
        assertEquals(notStarted.reason(), e.getMessage());
    }

    @Test
    void run_stdinBytes_reachTheChild() throws Exception {
        byte[] input = new byte[300_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }

        ProcessResult.Exited exited = RUNNER.run(List.of("cat"), input).exited();

        assertArrayEquals(input, exited.stdout().bytes());
    }

    @Test
    void run_noStdin_readsEndOfInput() throws Exception {
        assertEquals("0", RUNNER.run(List.of("sh", "-c", "wc -c")).exited().stdout().text().strip());
    }

    @Test
    void run_environment_exactlyTheGivenVariables() throws Exception {
        ProcessResult.Exited exited = RUNNER.environment(Map.of("UNITGUARD_X", "1"))
                .run(List.of("/usr/bin/env")).exited();

        assertEquals(List.of("UNITGUARD_X=1"), exited.stdout().lines());
    }

    @Test
    void run_stderrToStdout_oneStreamInOrder() throws Exception {
        ProcessResult.Exited exited = RUNNER.stderrToStdout()
                .run(List.of("sh", "-c", "echo a; echo b >&2; echo c")).exited();

        assertEquals(List.of("a", "b", "c"), exited.stdout().lines());
        assertEquals("", exited.stderr().text());
    }

    @Test
    void run_noShell_argumentsReachTheProgramAsGiven() throws Exception {
        ProcessResult.Exited exited = RUNNER.run(List.of("printf", "%s|", "$HOME", "a b", ";true")).exited();

        assertEquals("$HOME|a b|;true|", exited.stdout().text());
    }

    @Test
    void withTimeout_notPositive_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessRunner.withTimeout(Duration.ZERO));
        assertEquals("timeout must be positive: PT0S", e.getMessage());
    }
}
