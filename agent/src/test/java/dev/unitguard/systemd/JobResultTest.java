package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobResultTest {

    @ParameterizedTest
    @CsvSource({"done,DONE", "canceled,CANCELED", "timeout,TIMEOUT", "failed,FAILED", "dependency,DEPENDENCY",
            "skipped,SKIPPED", "invalid,INVALID", "assert,ASSERT", "unsupported,UNSUPPORTED", "collected,COLLECTED",
            "once,ONCE", "frozen,FROZEN", "concurrency,OTHER", "DONE,OTHER", ",OTHER"})
    void of_systemdWord_mapsToResult(String word, JobResult expected) {
        assertEquals(expected, JobResult.of(word));
    }

    @ParameterizedTest
    @CsvSource({"done", "failed", "weird"})
    void outcome_keepsRawWord(String word) {
        assertEquals(word, JobOutcome.of("a.service", "/org/freedesktop/systemd1/job/1", word).rawResult());
    }
}
