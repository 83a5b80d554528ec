package dev.unitguard.unit;

import java.util.ArrayList;
import java.util.List;

/** Collects the warnings of one value as a rule finds them; {@link #verdict()} sums them up. */
final class ValueCheck {

    private final String key;
    private final List<String> warnings = new ArrayList<>();
    private boolean wholeIgnored;

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

    /** systemd skips one word with this warning and keeps the rest. */
    void skip(String warning) {
        warnings.add(warning);
    }

    ValueVerdict verdict() {
        if (warnings.isEmpty()) {
            return new ValueVerdict.Valid();
        }
        return wholeIgnored ? new ValueVerdict.Ignored(warnings) : new ValueVerdict.PartlyIgnored(warnings);
    }
}
