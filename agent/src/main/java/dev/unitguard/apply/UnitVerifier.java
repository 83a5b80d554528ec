package dev.unitguard.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second opinion on a unit file before it is installed: {@code systemd-analyze verify} where available. Returns the
 * problems found (empty: none, or no verifier).
 */
@FunctionalInterface
public interface UnitVerifier {

    UnitVerifier NONE = file -> List.of();

    /** Problems with the unit file at {@code file} (named as the unit), one line each. */
    List<String> verify(Path file) throws IOException;

    /** {@code systemd-analyze verify FILE} when the binary exists; its output lines when it fails. */
    static UnitVerifier systemdAnalyze(Path binary) {
        return file -> {
            if (!Files.isExecutable(binary)) {
                return List.of();
            }
            Process process = new ProcessBuilder(binary.toString(), "verify", "--man=no", file.toString())
                    .redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return List.of(binary + " verify did not finish within 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + binary + " verify", e);
            }
            if (process.exitValue() == 0) {
                return List.of();
            }
            List<String> lines = new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? List.of(binary + " verify exited with " + process.exitValue()) : lines;
        };
    }
}
