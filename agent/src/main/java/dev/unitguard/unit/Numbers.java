package dev.unitguard.unit;

import java.util.OptionalLong;

/**
 * C's {@code strtol(s, &end, 0)} as systemd's {@code safe_atoi()} uses it, with systemd's own {@code 0o} and
 * {@code 0b} prefixes ({@code mangle_base()}): the whole string must be the number.
 */
final class Numbers {

    private Numbers() {
    }

    /** A decimal, {@code 0x} hexadecimal or {@code 0} octal integer with an optional sign; empty if not one. */
    static OptionalLong strtol(String s) {
        int i = 0;
        boolean negative = false;
        while (i < s.length() && " \t\n\r\f\u000b".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            radix = 16;
        } else if (s.startsWith("0o", i) || s.startsWith("0O", i)) {
            radix = 8;
        } else if (s.startsWith("0b", i) || s.startsWith("0B", i)) {
            radix = 2;
        }
        if (radix != 10) {
            i += 2;
        } else if (s.startsWith("0", i) && i + 1 < s.length()) {
            radix = 8;
            i++;
        }
        String digits = s.substring(i);
        int base = radix;
        if (digits.isEmpty() || digits.length() > 12
                || !digits.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            return OptionalLong.empty();
        }
        long value = Long.parseLong(digits, radix);
        return OptionalLong.of(negative ? -value : value);
    }
}
