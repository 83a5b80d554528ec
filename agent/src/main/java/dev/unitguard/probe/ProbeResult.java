package dev.unitguard.probe;

import java.util.List;
import java.util.Objects;

/**
 * What really happened when a probe ran the requirements under the unit's sandbox: how the probe service started
 * ({@link Startup}) and, when its command ran, one {@link Observation} per required path and device, in manifest
 * order (paths, then devices); and {@code notSeen}: what this probe could not see because it must not act on the
 * host or must run its own shell (an existing {@code RuntimeDirectory=} bound as it is, exec allowed for its shell
 * under {@code NoExecPaths=}), one sentence each, empty when nothing.
 */
public record ProbeResult(String unit, Startup startup, List<Observation> requirements, List<String> notSeen) {

    public ProbeResult {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(startup, "startup");
        requirements = List.copyOf(requirements);
        notSeen = List.copyOf(notSeen);
    }

    /** A result whose probe saw everything it was asked about. */
    public ProbeResult(String unit, Startup startup, List<Observation> requirements) {
        this(unit, startup, requirements, List.of());
    }

    /** True when the probe's command ran and every requirement was met. */
    public boolean ok() {
        return startup.ok() && requirements.stream().allMatch(Observation::ok);
    }

    /**
     * The observed start-up: {@code ok} when the probe's command ran to its end; otherwise the real exit status
     * ({@code 226}, {@code NAMESPACE}), how the process ended ({@code exited}, {@code killed}) and the journal line
     * that explains it (from {@code journalctl -u UNIT -o json}); for a probe killed by SIGSYS, the system call the
     * filter stopped and the group that allows it ({@link Sigsys}) when the kernel's seccomp record is in the journal.
     */
    public record Startup(boolean ok, String result, String code, int exitStatus, String exitStatusName,
                          String journal) {
        public Startup {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(code, "code");
        }
    }

    /** One requirement as tested inside the sandbox; {@code error} is what the kernel said, null when ok. */
    public record Observation(String path, String access, boolean ok, String error) {
        public Observation {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(access, "access");
        }
    }
}
