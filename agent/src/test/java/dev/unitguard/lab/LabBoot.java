package dev.unitguard.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Waits for a freshly started container: its init appears, then {@code systemctl is-system-running} settles. */
final class LabBoot {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Set<String> UP = Set.of("running", "degraded");
    private static final int LOG_TAIL = 4000;

    private LabBoot() {
    }

    /** The host PID of the container's systemd once the system is running or degraded. */
    static long awaitRunning(ProcessHandle nspawn, Path log) throws LabUnavailableException {
        Instant deadline = Instant.now().plus(BOOT_TIMEOUT);
        long pid = awaitInit(nspawn, log, deadline);
        String state = "";
        while (Instant.now().isBefore(deadline)) {
            ExecResult result = HostCommand.run(List.of("nsenter", "-t", Long.toString(pid), "-a", "systemctl",
                    "is-system-running"), new byte[0], Duration.ofSeconds(30));
            state = result.stdout().strip();
            if (UP.contains(state)) {
                return pid;
            }
            if (!nspawn.isAlive()) {
                throw failed("the container exited during boot", log);
            }
            sleep();
        }
        throw failed("the container did not reach running or degraded within " + BOOT_TIMEOUT.toSeconds()
                + " s (last state: " + state + ")", log);
    }

    private static long awaitInit(ProcessHandle nspawn, Path log, Instant deadline) throws LabUnavailableException {
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessHandle> init = nspawn.children()
                    .filter(child -> child.info().command().map(c -> c.endsWith("/systemd")).orElse(false))
                    .findFirst();
            if (init.isPresent()) {
                return init.get().pid();
            }
            if (!nspawn.isAlive()) {
                throw failed("systemd-nspawn exited before the container's init started", log);
            }
            sleep();
        }
        throw failed("no systemd appeared under systemd-nspawn (pid " + nspawn.pid() + ") within "
                + BOOT_TIMEOUT.toSeconds() + " s", log);
    }

    private static LabUnavailableException failed(String what, Path log) {
        return new LabUnavailableException("lab boot failed: " + what + "; lab log " + log + ":\n" + tail(log));
    }

    /** The end of the container's console log, or why it cannot be read. */
    static String tail(Path log) {
        try {
            String text = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
            return text.length() <= LOG_TAIL ? text : "..." + text.substring(text.length() - LOG_TAIL);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("lab: interrupted while booting", e);
        }
    }
}
