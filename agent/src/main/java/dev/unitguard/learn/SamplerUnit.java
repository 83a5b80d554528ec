package dev.unitguard.learn;

import dev.unitguard.systemd.TransientUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The transient service that runs {@code unitguard learn-sample} for the agent. The agent's own unit hides other
 * users' processes ({@code ProtectProc=invisible}) and has no {@code CAP_SYS_PTRACE}, which reading another user's
 * {@code /proc/PID/fd}, {@code maps}, {@code cwd} and {@code exe} needs; the sampler gets exactly that, for the window
 * only: root with the bounding set {@code CAP_SYS_PTRACE CAP_DAC_READ_SEARCH}, no new privileges, a read-only file
 * system, no network, no devices, bounded memory and tasks, and a run time limit. Its only output is its standard
 * output, which systemd writes to {@code output} (a fresh file in the agent's runtime directory, mode 0600 by
 * {@code UMask=0077}); docs/security.md.
 */
final class SamplerUnit {

    /** {@code CAP_DAC_READ_SEARCH} (2) and {@code CAP_SYS_PTRACE} (19). */
    static final long CAPABILITIES = 1L << 2 | 1L << 19;
    static final long MEMORY_MAX = 192L << 20;
    static final long TASKS_MAX = 64;
    /** Time for the JVM to start and the output to be written, beyond the window. */
    static final Duration MARGIN = Duration.ofSeconds(60);

    /** How to run unitguard's own entry point: the JVM and its class path (the agent's own). */
    record Command(String java, String classPath) {

        /** The JVM and class path of the running process. */
        static Command current() {
            return new Command(ProcessHandle.current().info().command().orElse("/usr/bin/java"),
                    System.getProperty("java.class.path"));
        }
    }

    private SamplerUnit() {
    }

    static TransientUnit of(String name, String unit, Duration window, Path output, Command command) {
        List<String> argv = new ArrayList<>(List.of(command.java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss256k", "-Xmx96m", "-XX:-UsePerfData", "-cp", command.classPath(), "dev.unitguard.cli.Main",
                "learn-sample", "--unit", unit, "--duration", Long.toString(window.toSeconds())));
        return TransientUnit.service(name)
                .description("unitguard learn: sampling " + unit)
                .stringProperty("CollectMode", "inactive-or-failed")
                .numberProperty("CapabilityBoundingSet", CAPABILITIES)
                .booleanProperty("NoNewPrivileges", true)
                .protectSystem("strict")
                .protectHome("read-only")
                .booleanProperty("PrivateTmp", true)
                .booleanProperty("PrivateDevices", true)
                .booleanProperty("PrivateNetwork", true)
                .booleanProperty("ProtectKernelTunables", true)
                .booleanProperty("ProtectKernelModules", true)
                .booleanProperty("ProtectKernelLogs", true)
                .booleanProperty("ProtectControlGroups", true)
                .booleanProperty("RestrictSUIDSGID", true)
                .booleanProperty("LockPersonality", true)
                .numberProperty("MemoryMax", MEMORY_MAX)
                .numberProperty("TasksMax", TASKS_MAX)
                .numberProperty("RuntimeMaxUSec", window.plus(MARGIN).toNanos() / 1000)
                .property(new dev.unitguard.systemd.TransientProperty("UMask", "u", 0077L))
                .stringProperty("StandardOutputFile", output.toString())
                .stringProperty("StandardError", "journal")
                .execStart(argv.toArray(String[]::new))
                .build();
    }
}
