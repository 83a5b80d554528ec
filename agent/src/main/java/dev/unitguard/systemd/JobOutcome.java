package dev.unitguard.systemd;

import java.util.Objects;

/** A finished job: which unit, its object path, and how it ended. */
public record JobOutcome(String unit, String job, JobResult result, String rawResult) {

    public JobOutcome {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(rawResult, "rawResult");
    }

    static JobOutcome of(String unit, String job, String rawResult) {
        return new JobOutcome(unit, job, JobResult.of(rawResult), rawResult);
    }

    public boolean succeeded() {
        return result == JobResult.DONE;
    }
}
