package dev.unitguard.unit;

import java.util.Objects;

/**
 * One logical piece of a unit file, with its exact original text ({@link #raw()}, line terminators included) so
 * that a file renders back byte for byte. {@link #line()} is the 1-based line systemd reports for it: for a setting
 * continued over several lines, the line where it ends.
 */
public sealed interface Element {

    String raw();

    int line();

    /** An empty or whitespace-only line. */
    record Blank(String raw, int line) implements Element {
        public Blank {
            Objects.requireNonNull(raw, "raw");
        }
    }

    /** A line starting with {@code #} or {@code ;} (after whitespace). */
    record Comment(String raw, int line) implements Element {
        public Comment {
            Objects.requireNonNull(raw, "raw");
        }
    }

    /** {@code [Name]}; {@code known} is false for a section systemd ignores (unknown or {@code X-}). */
    record SectionHeader(String raw, int line, String name, boolean known) implements Element {
        public SectionHeader {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code Key=Value}, continuations joined; {@code section} is null outside any section. {@code inForce} is false
     * for settings systemd ignores: outside a section or in an unknown, non-{@code X-} section.
     */
    record Setting(String raw, int line, String section, String key, String value, boolean inForce)
            implements Element {
        public Setting {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A line systemd warns about and ignores, such as one without {@code =}. */
    record Ignored(String raw, int line) implements Element {
        public Ignored {
            Objects.requireNonNull(raw, "raw");
        }
    }
}
