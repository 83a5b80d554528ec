package dev.unitguard.unit;

import java.util.List;

/**
 * What systemd does with one directive's value: uses it, ignores the whole assignment, ignores part of it (a word
 * of a list), or refuses to load the unit. The warnings are systemd's own words, as it logs them while it loads the unit.
 */
public sealed interface ValueVerdict {

    /** systemd's warnings for the value; empty when it takes the value as written. */
    List<String> warnings();

    /** systemd uses the whole value. */
    record Valid() implements ValueVerdict {
        @Override
        public List<String> warnings() {
            return List.of();
        }
    }

    /** systemd logs and ignores the whole assignment, as if the line were not there. */
    record Ignored(List<String> warnings) implements ValueVerdict {
        public Ignored {
            warnings = List.copyOf(warnings);
            if (warnings.isEmpty()) {
                throw new IllegalArgumentException("an ignored value has a warning");
            }
        }
    }

    /** systemd logs the error and refuses to load the unit at all ("Unit configuration has fatal error"). */
    record Fatal(List<String> warnings) implements ValueVerdict {
        public Fatal {
            warnings = List.copyOf(warnings);
            if (warnings.isEmpty()) {
                throw new IllegalArgumentException("a fatal value has a warning");
            }
        }
    }

    /** systemd logs and skips some words of the value and uses the others. */
    record PartlyIgnored(List<String> warnings) implements ValueVerdict {
        public PartlyIgnored {
            warnings = List.copyOf(warnings);
            if (warnings.isEmpty()) {
                throw new IllegalArgumentException("a partly ignored value has a warning");
            }
        }
    }
}
