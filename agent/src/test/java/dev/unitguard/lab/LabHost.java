package dev.unitguard.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the host must offer before a lab can boot, and the clean-up of labs left behind by JVMs that died.
 *
 * <p>Lab machine names are {@code ugl-<owner JVM pid>-<n>}: a lab whose owner is gone is stale and is killed, while
 * labs of other live test runs (other work trees, parallel builds) are left alone.
 */
final class LabHost {

    static final String NAME_PREFIX = "ugl-";
    private static final Pattern NAME = Pattern.compile("ugl-(\\d+)-\\d+");
    private static final List<Path> NSPAWN = List.of(Path.of("/usr/bin/systemd-nspawn"), Path.of("/bin/systemd-nspawn"));
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private LabHost() {
    }

    /** The systemd-nspawn binary, installed with apt-get when missing and allowed; else why the lab cannot run. */
    static Path requireNspawn() throws LabUnavailableException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabUnavailableException("the systemd lab needs root (systemd-nspawn), running as "
                    + System.getProperty("user.name"));
        }
        Optional<Path> found = findNspawn();
        if (found.isPresent()) {
            return found.get();
        }
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            throw new LabUnavailableException("systemd-nspawn is missing and there is no apt-get to install "
                    + "systemd-container");
        }
        ExecResult install = HostCommand.run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends",
                "systemd-container"), new byte[0], INSTALL_TIMEOUT);
        if (!install.succeeded()) {
            HostCommand.run(List.of("apt-get", "update", "-qq"), new byte[0], INSTALL_TIMEOUT);
            install = HostCommand.run(install.command(), new byte[0], INSTALL_TIMEOUT);
        }
        found = findNspawn();
        if (found.isEmpty()) {
            throw new LabUnavailableException("systemd-nspawn is missing and apt-get install systemd-container "
                    + "exited with " + install.exitCode() + ": " + install.stderr().strip());
        }
        return found.get();
    }

    private static Optional<Path> findNspawn() {
        return NSPAWN.stream().filter(Files::isExecutable).findFirst();
    }

    /** Kills every lab whose owning JVM is no longer alive; returns how many. */
    static int killStaleLabs() {
        return (int) ProcessHandle.allProcesses()
                .filter(LabHost::isStaleLab)
                .peek(LabHost::kill)
                .count();
    }

    private static boolean isStaleLab(ProcessHandle process) {
        Optional<String> name = machineName(process);
        if (name.isEmpty()) {
            return false;
        }
        Matcher matcher = NAME.matcher(name.get());
        if (!matcher.matches()) {
            return false;
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(matcher.group(1)));
        return owner.isEmpty() || !owner.get().isAlive()
                || !owner.get().info().command().map(c -> c.contains("java")).orElse(false);
    }

    /** The {@code -M} name of a systemd-nspawn process started by a lab, if this is one. */
    static Optional<String> machineName(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        if (!info.command().map(c -> c.endsWith("systemd-nspawn")).orElse(false)) {
            return Optional.empty();
        }
        List<String> args = List.of(info.arguments().orElse(new String[0]));
        int at = args.indexOf("-M");
        if (at < 0 || at + 1 >= args.size() || !args.get(at + 1).startsWith(NAME_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(args.get(at + 1));
    }

    /** SIGTERM (the container powers off), then SIGKILL for nspawn and the container's init if it lingers. */
    static void kill(ProcessHandle nspawn) {
        List<ProcessHandle> children = nspawn.children().toList();
        nspawn.destroy();
        try {
            nspawn.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Still running after the grace period: killed below.
        }
        nspawn.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            nspawn.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Nothing more can be done than SIGKILL.
        }
    }
}
