package dev.unitguard.exposure;

import dev.unitguard.unit.Specifiers;
import dev.unitguard.unit.Words;
import java.nio.file.Path;
import java.util.List;

/** Unit-name helpers the score needs: word splitting, specifiers as systemd refuses them, DynamicUser='s user name. */
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
        return resolveSpecifiers(value, unitName, value);
    }

    /**
     * {@code value} with its specifiers resolved by {@link Specifiers}; one that cannot be resolved makes systemd
     * refuse the unit, with its message naming {@code shown} (some settings quote the value, some do not).
     */
    static String resolveSpecifiers(String value, String unitName, String shown) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        try {
            return Specifiers.forSystemUnit(unitName, Path.of("/")).resolve(value);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage().startsWith("unknown specifier") ? "Invalid slot" : e.getMessage();
            throw new SecurityAssessmentException("Failed to resolve unit specifiers in " + shown + ": " + reason);
        }
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
