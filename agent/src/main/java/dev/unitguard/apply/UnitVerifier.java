package dev.unitguard.apply;

import dev.unitguard.host.HostBinds;
import dev.unitguard.host.ProcessResult;
import dev.unitguard.host.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second opinion on a unit file before it is installed: {@code systemd-analyze verify} where available. Returns the
 * problems found (empty: none, or no verifier).
 */
@FunctionalInterface
public interface UnitVerifier {

    UnitVerifier NONE = file -> List.of();

    /** Problems with the unit file at {@code file} (named as the unit), one line each. */
    List<String> verify(Path file) throws IOException;

    /** How {@code systemd-analyze verify} names a command it cannot find (252 to 262). */
    Pattern MISSING_COMMAND = Pattern.compile(": Command (/\\S+) is not executable: No such file or directory$");

    /**
     * This verifier with the host's bound directories taken into account: {@code systemd-analyze verify} runs in the
     * agent's own namespace, where /tmp and /dev are private, so a command under them is "not executable: No such
     * file or directory" there. Such a line is dropped when the host's copy, read through the bind, is an executable
     * regular file (itself not a link); any other line, and any command outside the binds, is
     * kept as the verifier said it.
     */
    default UnitVerifier throughBinds(HostBinds binds) {
        if (binds.destinations().isEmpty()) {
            return this;
        }
        return file -> verify(file).stream().filter(line -> !presentOnHost(binds, line)).toList();
    }

    private static boolean presentOnHost(HostBinds binds, String line) {
        Matcher m = MISSING_COMMAND.matcher(line);
        if (!m.find()) {
            return false;
        }
        Optional<HostBinds.Located> located = binds.locate(Path.of(m.group(1)).normalize().toString());
        return located.isPresent() && located.get().names().stream().noneMatch(".."::equals)
                && Files.isRegularFile(located.get().path(), LinkOption.NOFOLLOW_LINKS)
                && Files.isExecutable(located.get().path());
    }

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
