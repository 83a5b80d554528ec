package dev.unitguard.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code journalctl}: the messages systemd and a unit logged, for the lines that explain a failure. */
public final class Journalctl {

    /** At most this much of journalctl's output is read; the rest is cut off (the last line may be partial). */
    public static final int MAX_OUTPUT = 4 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Journalctl() {
    }

    /**
     * The output lines of {@code journalctl ARGS -o cat --no-pager -q}, with {@code prefix} before it (empty on this
     * machine; {@code nsenter ...} for a lab), oldest first.
     */
    public static List<String> messages(List<String> prefix, List<String> args) throws IOException {
        List<String> withFormat = new ArrayList<>(args);
        withFormat.addAll(List.of("-o", "cat"));
        return output(prefix, withFormat);
    }

    /**
     * The output lines of {@code journalctl ARGS --no-pager -q} (ARGS choose the format, {@code -o json} for the
     * entries' fields), at most {@link #MAX_OUTPUT} bytes of it.
     */
    public static List<String> output(List<String> prefix, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add("journalctl");
        command.addAll(args);
        command.addAll(List.of("--no-pager", "-q"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readNBytes(MAX_OUTPUT);
        }
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } finally {
            process.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
