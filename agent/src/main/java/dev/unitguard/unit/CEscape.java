package dev.unitguard.unit;

import java.util.Map;

/** systemd's {@code cunescape_one()}: one C escape sequence after a backslash. */
final class CEscape {

    private static final Map<Character, Character> SIMPLE = Map.ofEntries(
            Map.entry('a', (char) 7), Map.entry('b', '\b'), Map.entry('f', '\f'), Map.entry('n', '\n'),
            Map.entry('r', '\r'), Map.entry('t', '\t'), Map.entry('v', (char) 11), Map.entry('\\', '\\'),
            Map.entry('"', '"'), Map.entry('\'', '\''), Map.entry('s', ' '));

    private CEscape() {
    }

    /**
     * Decodes the escape sequence starting at {@code text[start]} (the character after the backslash) into
     * {@code out}. Returns how many characters it used, or -1 when the sequence is not one systemd knows (which
     * includes sequences that would produce a NUL).
     */
    static int decode(String text, int start, Words.Utf8Builder out) {
        char c = text.charAt(start);
        Character simple = SIMPLE.get(c);
        if (simple != null) {
            out.append(simple);
            return 1;
        }
        return switch (c) {
            case 'x' -> hexByte(text, start, out);
            case 'u' -> unicode(text, start, 4, out);
            case 'U' -> unicode(text, start, 8, out);
            case '0', '1', '2', '3', '4', '5', '6', '7' -> octalByte(text, start, out);
            default -> -1;
        };
    }

    private static int hexByte(String text, int start, Words.Utf8Builder out) {
        long value = digits(text, start + 1, 2, 16);
        if (value <= 0) {
            return -1;
        }
        out.appendByte((int) value);
        return 3;
    }

    private static int octalByte(String text, int start, Words.Utf8Builder out) {
        long value = digits(text, start, 3, 8);
        if (value <= 0 || value > 255) {
            return -1;
        }
        out.appendByte((int) value);
        return 3;
    }

    private static int unicode(String text, int start, int count, Words.Utf8Builder out) {
        long value = digits(text, start + 1, count, 16);
        if (value <= 0 || value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
            return -1;
        }
        out.appendCodePoint((int) value);
        return count + 1;
    }

    /** The number made of exactly {@code count} digits at {@code from}, or -1. */
    private static long digits(String text, int from, int count, int radix) {
        if (from + count > text.length()) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = Character.digit(text.charAt(i), radix);
            if (digit < 0 || text.charAt(i) > 127) {
                return -1;
            }
            value = value * radix + digit;
        }
        return value;
    }
}
