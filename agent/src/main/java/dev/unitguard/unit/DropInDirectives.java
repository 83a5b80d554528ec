package dev.unitguard.unit;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Directives given one by one (the CLI's {@code --set}, the API's {@code "set"}, an apply request) as the drop-in
 * systemd would read: the unit type's own section ([Service] for services) and one {@code Key=Value} line each, in
 * order. The text goes through the unit-file parser, so a directive systemd would not know is refused with
 * systemd's own words instead of being ignored. Callers say which directive was wrong in their own terms.
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
     * @throws RejectedException for the first directive that is malformed or that systemd would warn about
     */
    public static List<Assignment> parse(Path display, String unitType, List<Directive> directives) {
        for (int i = 0; i < directives.size(); i++) {
            Directive d = directives.get(i);
            if (!KEY.matcher(d.key()).matches()) {
                throw new RejectedException(i, "invalid directive name \"" + d.key() + "\"");
            }
            if (d.value().indexOf('\n') >= 0 || d.value().indexOf('\r') >= 0 || d.value().endsWith("\\")) {
                throw new RejectedException(i, "a value must be one line and not end with a backslash");
            }
        }
        try {
            UnitFile file = UnitFile.parse(display, text(unitType, directives), unitType);
            if (!file.warnings().isEmpty()) {
                Diagnostic first = file.warnings().get(0);
                throw new RejectedException(first.location().line() - 2,
                        first.message().replaceFirst(", ignoring\\.$", ""));
            }
            return file.assignments();
        } catch (UnitFileException e) {
            throw new RejectedException(0, e.getMessage());
        }
    }
}
