package dev.unitguard.apply;

import dev.unitguard.host.ProcessResult;
import dev.unitguard.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        ProcessRunner runner = ProcessRunner.withTimeout(Duration.ofSeconds(60)).stderrToStdout();
        return file -> {
            if (!Files.isExecutable(binary)) {
                return List.of();
            }
            ProcessResult result;
            try {
                result = runner.run(List.of(binary.toString(), "verify", "--man=no", file.toString()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + binary + " verify", e);
            }
            if (result instanceof ProcessResult.TimedOut) {
                return List.of(binary + " verify did not finish within 60 s");
            }
            ProcessResult.Exited exited = result.exited();
            if (exited.succeeded()) {
                return List.of();
            }
            List<String> lines = exited.stdout().lines().stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? List.of(binary + " verify exited with " + exited.status()) : lines;
        };
    }
}
