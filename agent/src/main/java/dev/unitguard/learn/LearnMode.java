package dev.unitguard.learn;

import java.util.Locale;
import java.util.Optional;

/** How a manifest is learned: {@code observe} samples the running service; {@code trace} restarts it under a tracer. */
public enum LearnMode {
    OBSERVE, TRACE;

    /** The word the API and the manifest's {@code learned.mode} use. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LearnMode> of(String word) {
        for (LearnMode m : values()) {
            if (m.word().equals(word)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
