package dev.unitguard.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads what a unit and systemd logged about it since a moment: the lines that explain a failure. */
@FunctionalInterface
public interface JournalReader {

    JournalReader NONE = (unit, since) -> List.of();

    /** The messages logged for {@code unit} since {@code since}, oldest first. */
    List<String> lines(String unit, Instant since) throws IOException;

    /** {@code journalctl -u UNIT --since @EPOCH -o cat}, with {@code prefix} before it (nsenter in tests). */
    static JournalReader journalctl(List<String> prefix) {
        return (unit, since) -> {
            List<String> command = new ArrayList<>(prefix);
            String epoch = "@" + since.getEpochSecond() + "." + String.format("%06d", since.getNano() / 1000);
            command.addAll(List.of("journalctl", "-u", unit, "--since", epoch, "-o", "cat", "--no-pager", "-q"));
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
}
