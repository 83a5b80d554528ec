package dev.unitguard.unit;

import java.util.ArrayList;
import java.util.List;

/** Collects the warnings of one value as a rule finds them; {@link #verdict()} sums them up. */
final class ValueCheck {

    private final String key;
    private final List<String> warnings = new ArrayList<>();
    private boolean wholeIgnored;
    private boolean fatal;

    ValueCheck(String key) {
        this.key = key;
    }

    /** The directive's name, for messages such as {@code ReadWritePaths= path is not absolute}. */
    String key() {
        return key;
    }

    /** systemd ignores the whole assignment with this warning. */
    void ignore(String warning) {
        warnings.add(warning);
        wholeIgnored = true;
    }

    /** systemd refuses to load the unit with this error. */
    void fail(String error) {
        warnings.add(error);
        fatal = true;
    }

    /** systemd skips one word with this warning and keeps the rest. */
    void skip(String warning) {
        warnings.add(warning);
    }

    /**
     * The words of {@code value}, quotes and escapes resolved ({@link Words#split}); null after ignoring the whole
     * value with {@code failure} followed by the value when a quote is unbalanced.
     */
    List<String> words(String value, String failure) {
        try {
            return Words.split(value);
        } catch (IllegalArgumentException e) {
            ignore(failure + value);
            return null;
        }
    }

    ValueVerdict verdict() {
        if (warnings.isEmpty()) {
            return new ValueVerdict.Valid();
        }
        if (fatal) {
            return new ValueVerdict.Fatal(warnings);
        }
        return wholeIgnored ? new ValueVerdict.Ignored(warnings) : new ValueVerdict.PartlyIgnored(warnings);
    }
}
