package dev.unitguard.sandbox.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the probe reads what its service printed and what systemd logged about it: the messages of
 * {@code journalctl -u UNIT -o cat}. The default runs journalctl on this machine; tests pass one that runs it
 * inside the lab.
 */
@FunctionalInterface
public interface ProbeJournal {

    /** The messages logged for {@code unit}, oldest first. */
    List<String> messages(String unit) throws IOException;

    /** {@code journalctl -u UNIT -o cat} run on this machine, with {@code prefix} before it (empty for none). */
    static ProbeJournal journalctl(List<String> prefix) {
        return unit -> {
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of("journalctl", "-u", unit, "-o", "cat", "--no-pager", "-q"));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            try {
                if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish within 30 s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
            return new String(out, StandardCharsets.UTF_8).lines().toList();
        };
    }

    /** The local journal. */
    static ProbeJournal local() {
        return journalctl(List.of());
    }
}
