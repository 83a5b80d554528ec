package dev.unitguard.systemd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a job ended, as the {@code result} of systemd's {@code JobRemoved} signal ({@code job_result_table} in
 * src/core/job.c: systemd 252's words, and {@code frozen} of later versions). In JSON it is the word.
 */
public enum JobResult {
    DONE, CANCELED, TIMEOUT, FAILED, DEPENDENCY, SKIPPED, INVALID, ASSERT, UNSUPPORTED, COLLECTED, ONCE, FROZEN,
    /** A result this version of unitguard does not know; the raw word is kept in {@link JobOutcome#rawResult()}. */
    OTHER;

    /** The result systemd names {@code word}; {@link #OTHER} for a word not listed here. */
    @JsonCreator
    public static JobResult of(String word) {
        return Arrays.stream(values()).filter(r -> r != OTHER && r.word().equals(word)).findFirst().orElse(OTHER);
    }

    /** The word systemd uses, for example {@code done}. */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
