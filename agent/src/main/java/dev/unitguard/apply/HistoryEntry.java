package dev.unitguard.apply;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to a unit, as history keeps it: when, who, what ({@code path} and its content before and after, null
 * for no file; for enable/disable the unit file states), and how it ended ({@code detail} says why it failed).
 * {@code change} is the id of the change in the write-ahead journal (null for enable/disable).
 */
public record HistoryEntry(long id, Instant at, String principal, Operation operation, String path, String before,
                           String after, Outcome outcome, String detail, String change) {

    public HistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(outcome, "outcome");
        if (id < 1) {
            throw new IllegalArgumentException("history ids start at 1: " + id);
        }
    }

    /** True when this entry is a file change that applied (left the file with content different from before). */
    boolean changedContent() {
        return change != null && outcome == Outcome.APPLIED && !Objects.equals(before, after);
    }
}
