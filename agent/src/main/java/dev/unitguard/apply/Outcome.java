package dev.unitguard.apply;

import java.util.Locale;

/** How a request ended, as metrics and history name it. */
public enum Outcome {
    APPLIED, UNCHANGED, REFUSED, ROLLED_BACK, ROLLBACK_FAILED,
    /** Found in the write-ahead journal at start and undone by {@link ApplyService#recover()}. */
    INTERRUPTED_UNDONE;

    /** The word used in JSON and metrics, for example {@code rolled_back}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
