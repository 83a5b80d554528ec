package dev.unitguard.unit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a setting's value into words as systemd's {@code extract_first_word()} does with
 * {@code EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE}, as used for path lists and command lines: words are separated by
 * whitespace, {@code "..."} and {@code '...'} quote (anywhere in a word, and may be glued to unquoted text), and a
 * backslash starts a C escape ({@code \n}, {@code \t}, {@code \s}, {@code \\}, {@code \"}, {@code \xNN},
 * {@code \NNN} octal, {@code \}{@code uNNNN}, ...).
 *
 * <p>Unknown escape sequences (such as {@code \;} or a backslash before a space) are kept verbatim, backslash
 * included, as systemd does after warning "Ignoring unknown escape sequences". An unbalanced quote is an error, as
 * it is for systemd, which then ignores the whole assignment.
 */
public final class Words {

    static final String WHITESPACE = " \t\n\r";

    private Words() {
    }

    /** All words of {@code value}; an empty or blank value gives an empty list. */
    public static List<String> split(String value) {
        Cursor cursor = new Cursor(value);
        List<String> words = new ArrayList<>();
        for (String word = cursor.next(); word != null; word = cursor.next()) {
            words.add(word);
        }
        return words;
    }

    /**
     * Words as {@code extract_first_word()} with no flags reads them (RestrictNamespaces=, SystemCallFilter=):
     * whitespace separates, a backslash takes the next character as it is, quotes are ordinary characters.
     */
    public static List<String> splitPlain(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (WHITESPACE.indexOf(c) >= 0) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            if (c == '\\' && i + 1 < value.length()) {
                c = value.charAt(++i);
            }
            word.append(c);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** Reads words one by one from a string; {@link ExecCommand} peeks at the raw text between words. */
    static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text) {
            this.text = text;
        }

        void skipWhitespace() {
            while (pos < text.length() && WHITESPACE.indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        /** The unparsed rest, after leading whitespace. */
        String rest() {
            skipWhitespace();
            return text.substring(pos);
        }

        void advance(int chars) {
            pos += chars;
        }

        /** The next word, or null when only whitespace is left. */
        String next() {
            skipWhitespace();
            if (pos >= text.length()) {
                return null;
            }
            Utf8Builder out = new Utf8Builder();
            char quote = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\') {
                    pos = escape(out, quote);
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                        pos++;
                    } else {
                        pos = copy(out);
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    pos++;
                } else if (WHITESPACE.indexOf(c) >= 0) {
                    break;
                } else {
                    pos = copy(out);
                }
            }
            if (quote != 0) {
                throw new IllegalArgumentException("unbalanced quoting in \"" + text + "\"");
            }
            return out.toString();
        }

        private int copy(Utf8Builder out) {
            int codePoint = text.codePointAt(pos);
            out.appendCodePoint(codePoint);
            return pos + Character.charCount(codePoint);
        }

        /** Handles the backslash at {@code pos}; returns the position after the escape sequence. */
        private int escape(Utf8Builder out, char quote) {
            int start = pos + 1;
            if (start >= text.length()) {
                if (quote != 0) {
                    throw new IllegalArgumentException("unbalanced quoting in \"" + text + "\"");
                }
                out.append('\\');
                return start;
            }
            int consumed = CEscape.decode(text, start, out);
            if (consumed < 0) {
                out.append('\\');
                int codePoint = text.codePointAt(start);
                out.appendCodePoint(codePoint);
                return start + Character.charCount(codePoint);
            }
            return start + consumed;
        }
    }

    /** Collects characters and raw bytes (from {@code \xNN} and octal escapes) and decodes them as UTF-8. */
    static final class Utf8Builder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void append(char c) {
            appendCodePoint(c);
        }

        void appendCodePoint(int codePoint) {
            bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
        }

        void appendByte(int b) {
            bytes.write(b);
        }

        @Override
        public String toString() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
