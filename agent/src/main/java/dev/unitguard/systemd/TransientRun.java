package dev.unitguard.systemd;

import java.util.Objects;

/** A transient service run to its end: the start job's outcome and the unit as it was once it stopped. */
public record TransientRun(JobOutcome job, UnitProperties unit) {

    public TransientRun {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(unit, "unit");
    }

    /** The exit status of the main process (226 when the sandbox could not be set up). */
    public int exitStatus() {
        return unit.service().map(ServiceProperties::execMainStatus).orElseThrow();
    }
}
