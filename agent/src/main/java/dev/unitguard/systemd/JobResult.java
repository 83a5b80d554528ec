package dev.unitguard.systemd;

import java.util.Arrays;
import java.util.Locale;

/** How a job ended, as the {@code result} of systemd's {@code JobRemoved} signal (systemd 252: src/core/job.c). */
public enum JobResult {
    DONE, CANCELED, TIMEOUT, FAILED, DEPENDENCY, SKIPPED, INVALID, ASSERT, UNSUPPORTED, COLLECTED, ONCE,
    /** A result this version of unitguard does not know; the raw word is kept in {@link JobOutcome#rawResult()}. */
    OTHER;

    static JobResult of(String word) {
        return Arrays.stream(values()).filter(r -> r != OTHER && r.word().equals(word)).findFirst().orElse(OTHER);
    }

    /** The word systemd uses, for example {@code done}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
