package dev.unitguard.probe;

import java.util.List;

/**
 * What really happened when a probe ran the requirements under the unit's sandbox: how the probe service started
 * ({@link Startup}) and, when its command ran, one {@link Observation} per required path and device, in manifest
 * order (paths, then devices), and one {@link Need} per network need it could observe ({@link ProbeNetwork}); and
 * {@code notSeen}: what this probe could not see because it must not act on the host or must run its own shell (an
 * existing {@code RuntimeDirectory=} bound as it is, exec allowed for its shell under {@code NoExecPaths=}, network
 * needs it does not test), one sentence each, empty when nothing.
 */
public record ProbeResult(String unit, Startup startup, List<Observation> requirements, List<Need> needs,
                          List<String> notSeen) {

    public ProbeResult {
        requirements = List.copyOf(requirements);
        needs = List.copyOf(needs);
        notSeen = List.copyOf(notSeen);
    }

    /** A result without observed network needs. */
    public ProbeResult(String unit, Startup startup, List<Observation> requirements, List<String> notSeen) {
        this(unit, startup, requirements, List.of(), notSeen);
    }

    /** A result whose probe saw everything it was asked about. */
    public ProbeResult(String unit, Startup startup, List<Observation> requirements) {
        this(unit, startup, requirements, List.of(), List.of());
    }

    /** True when the probe's command ran and every requirement and observed need was met. */
    public boolean ok() {
        return startup.ok() && requirements.stream().allMatch(Observation::ok) && needs.stream().allMatch(Need::ok);
    }

    /**
     * The observed start-up: {@code ok} when the probe's command ran to its end; otherwise the real exit status
     * ({@code 226}, {@code NAMESPACE}), how the process ended ({@code exited}, {@code killed}) and the journal line
     * that explains it (from {@code journalctl -u UNIT -o json}); for a probe killed by SIGSYS, the system call the
     * filter stopped and the group that allows it ({@link Sigsys}) when the kernel's seccomp record is in the journal.
     */
    public record Startup(boolean ok, String result, String code, int exitStatus, String exitStatusName,
                          String journal) {
    }

    /** One requirement as tested inside the sandbox; {@code error} is what the kernel said, null when ok. */
    public record Observation(String path, String access, boolean ok, String error) {
    }

    /**
     * One network need of the manifest as the probe observed it: {@code need} is worded as the static check's
     * ({@code listen tcp 127.0.0.1:6379}), {@code seen} says what the probe saw that decides it.
     */
    public record Need(String need, boolean ok, String seen) {
    }
}
