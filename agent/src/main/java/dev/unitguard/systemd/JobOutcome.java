package dev.unitguard.systemd;

import java.util.Objects;

/**
 * A finished job: which unit, its object path, and how it ended ({@code rawResult}: the word systemd's JobRemoved
 * signal carried, kept as it was, {@link #result()} its meaning).
 */
public record JobOutcome(String unit, String job, String rawResult) {

    public JobOutcome {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(rawResult, "rawResult");
    }

    static JobOutcome of(String unit, String job, String rawResult) {
        return new JobOutcome(unit, job, rawResult);
    }

    /** How the job ended; {@link JobResult#OTHER} for a word this version does not know. */
    public JobResult result() {
        return JobResult.of(rawResult);
    }

    public boolean succeeded() {
        return result() == JobResult.DONE;
    }
}
