package dev.unitguard.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Directives given one by one (the CLI's {@code --set}, the API's {@code "set"}, an apply request) as the drop-in
 * systemd would read: the unit type's own section ([Service] for services) and one {@code Key=Value} line each, in
 * order. Refused at this edge, each with the directive's index and a one-line reason: a control character (C0 or
 * DEL, which systemd would read as a line break or worse) or an unpaired surrogate in a key or value, a malformed
 * key, a value ending in a backslash, a directive systemd would not know, a value systemd would ignore (in
 * systemd's own words, see {@link DirectiveValues}), and any text that would not read back as exactly the given
 * directives. Callers say which directive was wrong in their own terms.
 */
public final class DropInDirectives {

    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    private DropInDirectives() {
    }

    /** One directive: {@code key=value}. */
    public record Directive(String key, String value) {
        public Directive {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A directive systemd would not accept: {@code index} into the given list, and the reason. */
    public static final class RejectedException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final String reason;

        RejectedException(int index, String reason) {
            super("directive " + (index + 1) + ": " + reason);
            this.index = index;
            this.reason = reason;
        }

        public int index() {
            return index;
        }

        public String reason() {
            return reason;
        }
    }

    /** A directive whose value systemd would ignore in whole or in part, with systemd's warnings. */
    public record IgnoredValue(int index, Directive directive, ValueVerdict verdict) {
        /** {@code systemd would ignore ProtectSystem=banana and run without it (Failed to parse ...)}. */
        public String describe() {
            String setting = directive.key() + "=" + directive.value();
            String what = "systemd would ignore part of " + setting;
            if (verdict instanceof ValueVerdict.Ignored) {
                what = "systemd would ignore " + setting + " and run without it";
            } else if (verdict instanceof ValueVerdict.Fatal) {
                what = "systemd would refuse to load the unit with " + setting;
            }
            return what
                    + " (" + String.join("; ", verdict.warnings()) + ")";
        }
    }

    /** The directives as systemd would apply them: the assignments in force, and the values it would ignore. */
    public record Candidate(List<Assignment> assignments, List<IgnoredValue> ignored) {
        public Candidate {
            assignments = List.copyOf(assignments);
            ignored = List.copyOf(ignored);
        }
    }

    /** The section a unit type's own settings live in: {@code Service} for {@code service}. */
    public static String section(String unitType) {
        return unitType.isEmpty() ? "Service" : Character.toUpperCase(unitType.charAt(0)) + unitType.substring(1);
    }

    /** The drop-in text: the section header, then one line per directive in order. */
    public static String text(String unitType, List<Directive> directives) {
        StringBuilder text = new StringBuilder("[").append(section(unitType)).append("]\n");
        directives.forEach(d -> text.append(d.key()).append('=').append(d.value()).append('\n'));
        return text.toString();
    }

    /**
     * The assignments of the drop-in, with {@code display} as their file name.
     *
     * @throws RejectedException for the first directive that is malformed, unknown to systemd, or whose value
     *         systemd would ignore in whole or in part
     */
    public static List<Assignment> parse(Path display, String unitType, List<Directive> directives) {
        Candidate candidate = read(display, unitType, directives);
        if (!candidate.ignored().isEmpty()) {
            IgnoredValue first = candidate.ignored().get(0);
            throw new RejectedException(first.index(), first.verdict().warnings().get(0));
        }
        return candidate.assignments();
    }

    /**
     * The drop-in as systemd would apply it: values systemd would ignore are reported, not refused (the CLI's
     * {@code check} shows what the service would run with).
     *
     * @throws RejectedException for the first directive that is malformed or unknown to systemd
     */
    public static Candidate read(Path display, String unitType, List<Directive> directives) {
        for (int i = 0; i < directives.size(); i++) {
            refuseMalformed(i, directives.get(i));
        }
        UnitFile file = parseText(display, unitType, text(unitType, directives));
        List<IgnoredValue> ignored = new ArrayList<>();
        for (Diagnostic warning : file.warnings()) {
            int index = warning.location().line() - 2;
            if (index < 0 || index >= directives.size()) {
                throw new RejectedException(0, warning.message());
            }
            Directive d = directives.get(index);
            ValueVerdict verdict = DirectiveValues.check(d.key(), d.value()).orElse(null);
            if (verdict == null || verdict.warnings().isEmpty()) {
                throw new RejectedException(index, warning.message().replaceFirst(", ignoring\\.$", ""));
            }
            if (ignored.isEmpty() || ignored.get(ignored.size() - 1).index() != index) {
                ignored.add(new IgnoredValue(index, d, verdict));
            }
        }
        requireReadBack(file, directives);
        // the file keeps every assignment (the models parse values as the modelled release does); the candidate
        // leaves out what systemd 252 ignores in whole, so check shows what the service would run with
        List<Assignment> inForce = new ArrayList<>();
        for (int i = 0; i < directives.size(); i++) {
            int index = i;
            if (ignored.stream().noneMatch(v -> v.index() == index && v.verdict() instanceof ValueVerdict.Ignored)) {
                inForce.add(file.assignments().get(i));
            }
        }
        return new Candidate(inForce, ignored);
    }

    /**
     * Parses rendered drop-in {@code text} back and requires its assignments to be exactly {@code directives}, in
     * order; unitguard writes nothing that systemd would read differently.
     *
     * @throws RejectedException naming the first directive that does not read back as given
     */
    public static void requireReadBack(Path display, String unitType, String text, List<Directive> directives) {
        requireReadBack(parseText(display, unitType, text), directives);
    }

    private static void requireReadBack(UnitFile file, List<Directive> directives) {
        List<Assignment> read = file.assignments();
        for (int i = 0; i < Math.max(read.size(), directives.size()); i++) {
            Directive want = i < directives.size() ? directives.get(i) : null;
            Assignment got = i < read.size() ? read.get(i) : null;
            if (want == null || got == null || !want.key().equals(got.key()) || !want.value().equals(got.value())) {
                throw new RejectedException(Math.min(i, directives.size() - 1), "would read back as "
                        + (got == null ? "nothing" : printable(got.key() + "=" + got.value()))
                        + " (leading or trailing whitespace, or a line systemd splits differently)");
            }
        }
    }

    private static UnitFile parseText(Path display, String unitType, String text) {
        try {
            return UnitFile.parse(display, text, unitType);
        } catch (UnitFileException e) {
            throw new RejectedException(0, e.getMessage());
        }
    }

    private static void refuseMalformed(int index, Directive d) {
        String inKey = controlCharacter(d.key());
        if (inKey != null) {
            throw new RejectedException(index, "the directive name contains " + inKey);
        }
        String inValue = controlCharacter(d.value());
        if (inValue != null) {
            throw new RejectedException(index, "contains " + inValue);
        }
        if (!KEY.matcher(d.key()).matches()) {
            throw new RejectedException(index, "invalid directive name \"" + d.key() + "\"");
        }
        if (d.value().endsWith("\\")) {
            throw new RejectedException(index, "a value must not end with a backslash");
        }
    }

    /** The first control character (C0 or DEL) or unpaired surrogate and its 1-based position; null if none. */
    static String controlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "a control character (" + codePoint(c) + ") at position " + (i + 1);
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "an unpaired surrogate (" + codePoint(c) + ") at position " + (i + 1);
            }
        }
        return null;
    }

    /** {@code s} with control characters and unpaired surrogates written as {@code \}{@code uXXXX}, for messages. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (c < 0x20 || c == 0x7f || (Character.isSurrogate(c) && !pair)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else {
                out.append(c);
                if (pair) {
                    out.append(s.charAt(++i));
                }
            }
        }
        return out.toString();
    }

    private static String codePoint(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
