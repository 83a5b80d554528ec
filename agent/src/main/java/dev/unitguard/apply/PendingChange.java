package dev.unitguard.apply;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change in flight, as the write-ahead journal holds it: enough to finish or undo it after a crash. {@code before}
 * and {@code after} are the target's content (null: no file); {@code savedFile} holds {@code before} too.
 */
record PendingChange(String id, String unit, Operation operation, String target, String before, String after,
                     String savedFile, boolean restart, Phase phase, String principal, Instant startedAt) {

    /** How far the change got; recovery finishes a verified change and undoes any other. */
    enum Phase { PREPARED, WRITTEN, VERIFIED, ROLLING_BACK }

    PendingChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    PendingChange at(Phase next) {
        return new PendingChange(id, unit, operation, target, before, after, savedFile, restart, next, principal,
                startedAt);
    }

    Optional<String> beforeContent() {
        return Optional.ofNullable(before);
    }

    Optional<String> afterContent() {
        return Optional.ofNullable(after);
    }
}
