package dev.unitguard.lab;

import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real systemd booted in a {@code systemd-nspawn} container (see shared/systemd-lab.md): systemd 252 by default,
 * or any supported release ({@link #boot(SystemdVersion)}, {@link #versions()}), from the host's own /usr
 * ({@code --volatile=yes}) when it is that release, else from a cached Debian root ({@code --ephemeral}, see
 * {@link LabRelease}). Nothing it writes reaches the host or the cached root. {@link #close()} always tears it down; a shutdown hook
 * covers a JVM that exits without closing it, and {@link #boot} kills labs left by JVMs that were killed.
 */
public final class Lab implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration EXEC_TIMEOUT = Duration.ofMinutes(2);

    private final String name;
    private final SystemdVersion version;
    private final ProcessHandle nspawn;
    private final long pid;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean closed;

    private Lab(String name, SystemdVersion version, ProcessHandle nspawn, long pid, Path logFile,
                Thread shutdownHook) {
        this.name = name;
        this.version = version;
        this.nspawn = nspawn;
        this.pid = pid;
        this.logFile = logFile;
        this.shutdownHook = shutdownHook;
    }

    /** Boots systemd 252 with {@code target/} (the agent's build output) bound read-only at /opt/unitguard. */
    public static Lab boot() throws LabUnavailableException {
        return boot(SystemdVersion.V252);
    }

    /**
     * Boots the given supported release; unavailable (tests skip) when it is not among
     * {@code -Dunitguard.lab.versions}, or its root cannot be built. The first boot of 257 or 262 on a machine builds
     * its root (minutes; see {@link LabRelease}).
     */
    public static Lab boot(SystemdVersion version) throws LabUnavailableException {
        return boot(version, defaultTarget(),
                LabHost.NAME_PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    }

    /** {@link #boot(SystemdVersion)}, or the calling test aborted (reported as skipped) with the reason. */
    public static Lab bootOrSkip(SystemdVersion version) {
        try {
            return boot(version);
        } catch (LabUnavailableException e) {
            org.junit.jupiter.api.Assumptions.abort("systemd lab " + version + " unavailable: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    public static Lab boot(Path agentTarget) throws LabUnavailableException {
        return boot(SystemdVersion.V252, agentTarget,
                LabHost.NAME_PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    }

    /**
     * The releases this run boots ({@code -Dunitguard.lab.versions}, default every supported one), for tests that
     * run on each: {@code @MethodSource("dev.unitguard.lab.Lab#versions")}.
     *
     * @throws IllegalArgumentException naming the property when it is malformed
     */
    public static List<SystemdVersion> versions() {
        try {
            return LabRelease.enabled();
        } catch (LabUnavailableException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * The root file system of a supported release, for running its binaries without booting it (chroot, e.g.
     * {@code systemd-analyze --offline}): / when the host runs that release, else its Debian root, built here on
     * first use. Never write into it: booted labs snapshot it.
     */
    public static Path root(SystemdVersion version) throws LabUnavailableException {
        String skip = System.getProperty("unitguard.lab.skip");
        if (skip != null) {
            throw new LabUnavailableException("the systemd lab is switched off (-Dunitguard.lab.skip=" + skip + ")");
        }
        return LabRelease.require(version).root();
    }

    private static Path defaultTarget() {
        return Path.of(System.getProperty("unitguard.lab.target", "target")).toAbsolutePath();
    }

    /** Boots a lab under a given machine name (tests of the stale-lab clean-up choose the owner pid). */
    static Lab boot(Path agentTarget, String name) throws LabUnavailableException {
        return boot(SystemdVersion.V252, agentTarget, name);
    }

    private static Lab boot(SystemdVersion version, Path agentTarget, String name) throws LabUnavailableException {
        String skip = System.getProperty("unitguard.lab.skip");
        if (skip != null) {
            throw new LabUnavailableException("the systemd lab is switched off (-Dunitguard.lab.skip=" + skip + ")");
        }
        Path nspawnBinary = LabHost.requireNspawn();
        LabRelease release = LabRelease.require(version);
        LabHost.killStaleLabs();
        Path dir = agentTarget.resolve("labs").resolve(name);
        Path presets = dir.resolve("presets");
        Path log = dir.resolve("lab.log");
        try {
            Files.createDirectories(presets);
            Files.writeString(presets.resolve("99-lab.preset"), "disable *\n");
        } catch (IOException e) {
            throw new LabUnavailableException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of(nspawnBinary.toString(), "-D", release.root().toString()));
        if (release.host()) {
            // The host's JDK keeps its configuration in /etc, which --volatile=yes leaves empty.
            command.addAll(List.of("--volatile=yes", "--bind-ro=/etc/java-17-openjdk", "--bind-ro=/etc/alternatives"));
        } else {
            command.add("--ephemeral");
        }
        command.addAll(List.of("--private-network", "--register=no", "--keep-unit", "-M", name,
                "--bind-ro=" + presets + ":/etc/systemd/system-preset",
                "--bind-ro=" + agentTarget + ":/opt/unitguard", "-b", "--", "systemd.firstboot=off"));
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(release.nspawnEnvironment());
            process = builder.redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new LabUnavailableException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        ProcessHandle nspawn = process.toHandle();
        Thread hook = new Thread(() -> LabHost.kill(nspawn), name + "-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long pid = LabBoot.awaitRunning(nspawn, log);
            return new Lab(name, version, nspawn, pid, log, hook);
        } catch (LabUnavailableException | RuntimeException e) {
            LabHost.kill(nspawn);
            removeHook(hook);
            throw e;
        }
    }

    /** The machine name, {@code ugl-<jvm pid>-<n>}. */
    public String name() {
        return name;
    }

    /** The systemd release this lab runs. */
    public SystemdVersion version() {
        return version;
    }

    /** The host PID of the container's init (systemd). */
    public long pid() {
        return pid;
    }

    /** The container's root file system as seen from the host. */
    public Path root() {
        return Path.of("/proc/" + pid + "/root");
    }

    /** The container's system bus, reachable from the host. */
    public String systemBusAddress() {
        return "unix:path=" + root().resolve("run/dbus/system_bus_socket");
    }

    /** Runs {@code command} inside the container (all its namespaces) and returns what it did. */
    public ExecResult exec(String... command) {
        return exec(new byte[0], command);
    }

    /** Runs {@code command} inside the container with {@code stdin} as its standard input. */
    public ExecResult exec(byte[] stdin, String... command) {
        return exec(EXEC_TIMEOUT, stdin, command);
    }

    /** Runs {@code command} inside the container, waiting up to {@code timeout} (package installs take minutes). */
    public ExecResult exec(Duration timeout, byte[] stdin, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-a"));
        full.addAll(List.of(command));
        return HostCommand.run(full, stdin, timeout);
    }

    /**
     * Runs {@code command} with the container's files (its mount namespace) but the host's network and processes:
     * for fetching packages from the mirror the container's apt is configured with (the lab itself has no network).
     * Only for preparing a lab; what a test judges runs through {@link #exec(String...)}.
     */
    public ExecResult execWithHostNetwork(String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-m", "--"));
        full.addAll(List.of(command));
        return HostCommand.run(full, new byte[0], Duration.ofMinutes(10));
    }

    /** Adds a system user without a home directory inside the container; returns its uid. */
    public int addUser(String user) {
        exec("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user).requireSuccess();
        return Integer.parseInt(exec("id", "-u", user).requireSuccess().stdout().strip());
    }

    /** Writes a file inside the container (parents created), then sets its mode (octal) and owner ({@code u:g}). */
    public void writeFile(String path, String content, String mode, String owner) {
        exec(content.getBytes(StandardCharsets.UTF_8), "sh", "-c",
                "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\" && chmod \"$2\" \"$1\" && chown \"$3\" \"$1\"",
                "sh", path, mode, owner).requireSuccess();
    }

    /** What the container printed on its console so far (for error messages). */
    public String log() {
        return LabBoot.tail(logFile);
    }

    public boolean isAlive() {
        return nspawn.isAlive();
    }

    /** Powers the container off (SIGTERM to nspawn), SIGKILL after a grace period. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LabHost.kill(nspawn);
        removeHook(shutdownHook);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs anyway and kill is idempotent.
        }
    }

    @Override
    public String toString() {
        return "Lab[" + name + ", systemd " + version + ", pid " + pid + "]";
    }
}
