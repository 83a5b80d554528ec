package dev.unitguard.sandbox;

import dev.unitguard.unit.Words;
import java.util.List;

/** Unit-name helpers the score needs: word splitting, the few specifiers User= uses, DynamicUser='s user name. */
final class SecurityUnitNames {

    private SecurityUnitNames() {
    }

    /**
     * The words of a value as systemd's {@code extract_first_word(..., EXTRACT_UNQUOTE)} ({@link Words#split});
     * a value with unbalanced quotes has no words (systemd ignores the assignment).
     */
    static List<String> words(String value) {
        try {
            return Words.split(value);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /**
     * The words of a value split at whitespace only, quotes kept: how systemd 252 splits RestrictNamespaces=,
     * SystemCallFilter= and IPAddressDeny= (a quoted word there is no valid name).
     */
    static List<String> plainWords(String value) {
        String stripped = value.strip();
        return stripped.isEmpty() ? List.of() : List.of(stripped.split("\\s+"));
    }

    /** The part before '@' (or before the type suffix): {@code getty} for {@code getty@tty1.service}. */
    static String prefix(String unitName) {
        int at = unitName.indexOf('@');
        int dot = unitName.lastIndexOf('.');
        return at >= 0 ? unitName.substring(0, at) : dot >= 0 ? unitName.substring(0, dot) : unitName;
    }

    static String instance(String unitName) {
        int at = unitName.indexOf('@');
        int dot = unitName.lastIndexOf('.');
        return at >= 0 && dot > at ? unitName.substring(at + 1, dot) : "";
    }

    /** Resolves %i %I %n %N %p %P and %%; other specifiers are left as written. */
    static String resolveSpecifiers(String value, String unitName) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char s = value.charAt(++i);
            switch (s) {
                case 'i', 'I' -> out.append(instance(unitName));
                case 'n' -> out.append(unitName);
                case 'N' -> out.append(unitName, 0, Math.max(0, unitName.lastIndexOf('.')));
                case 'p', 'P' -> out.append(prefix(unitName));
                case '%' -> out.append('%');
                default -> out.append('%').append(s);
            }
        }
        return out.toString();
    }

    /** The user name systemd picks for DynamicUser= without User=: the unit's prefix when it is a valid name. */
    static String dynamicUserName(String unitName) {
        String prefix = prefix(unitName);
        boolean valid = !prefix.isEmpty() && prefix.length() <= 31
                && (Character.isLetter(prefix.charAt(0)) || prefix.charAt(0) == '_')
                && prefix.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'));
        return valid ? prefix : "_du" + Integer.toHexString(prefix.hashCode());
    }
}
