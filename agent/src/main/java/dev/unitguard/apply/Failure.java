package dev.unitguard.apply;

import dev.unitguard.systemd.JobResult;
import java.util.List;
import java.util.Objects;

/**
 * What made a change fail: the step, a one-line message, and what systemd said: the job result ({@code done},
 * {@code failed}; null when no job ran), the service's result ({@code exit-code}), its main process's exit status
 * (226 for NAMESPACE), and the journal lines of the failed run; for a death by SIGSYS, {@code sigsys} names the system
 * call the filter stopped and the group that allows it ({@link dev.unitguard.probe.Sigsys}), else null.
 */
public record Failure(FailedStep step, String message, JobResult jobResult, String unitResult, Integer exitStatus,
                      List<String> journal, String sigsys) {

    public Failure {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(message, "message");
        journal = List.copyOf(journal);
    }

    /** A failed call to systemd, before it said anything about the unit. */
    static Failure of(FailedStep step, String message) {
        return new Failure(step, message, null, null, null, List.of(), null);
    }

    Failure withJournal(List<String> lines) {
        return new Failure(step, message, jobResult, unitResult, exitStatus, lines, sigsys);
    }

    Failure withSigsys(String explanation) {
        return new Failure(step, message, jobResult, unitResult, exitStatus, journal, explanation);
    }

    /** Whether the service's main process was killed by a signal (SIGSYS among them): systemd's result for it. */
    boolean killed() {
        return "signal".equals(unitResult) || "core-dump".equals(unitResult);
    }
}
