package dev.unitguard.apply;

import java.util.List;
import java.util.Objects;

/**
 * What made a change fail: the step ({@code reload}, {@code restart}, {@code active}, {@code health}), a one-line
 * message, and what systemd said: the job result ({@code done}, {@code failed}), the service's result
 * ({@code exit-code}), its main process's exit status (226 for NAMESPACE), and the journal lines of the failed run.
 */
public record Failure(String step, String message, String jobResult, String unitResult, Integer exitStatus,
                      List<String> journal) {

    public Failure {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(message, "message");
        journal = List.copyOf(journal);
    }

    Failure withJournal(List<String> lines) {
        return new Failure(step, message, jobResult, unitResult, exitStatus, lines);
    }
}
