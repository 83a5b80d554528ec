package dev.unitguard.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code journalctl}: the messages systemd and a unit logged, for the lines that explain a failure. */
public final class Journalctl {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Journalctl() {
    }

    /**
     * The output lines of {@code journalctl ARGS -o cat --no-pager -q}, with {@code prefix} before it (empty on this
     * machine; {@code nsenter ...} for a lab), oldest first.
     */
    public static List<String> messages(List<String> prefix, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add("journalctl");
        command.addAll(args);
        command.addAll(List.of("-o", "cat", "--no-pager", "-q"));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
