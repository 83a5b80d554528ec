package dev.unitguard.unit;

/** Unit name unescaping as {@code systemd-escape --unescape [--path]} does it. */
public final class UnitNameEscape {

    private UnitNameEscape() {
    }

    /** {@code -} becomes {@code /}, {@code \xNN} the byte NN; any other backslash is an error. */
    public static String unescape(String escaped) {
        Words.Utf8Builder out = new Words.Utf8Builder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '-') {
                out.append('/');
            } else if (c == '\\') {
                int hi = i + 1 < escaped.length() && escaped.charAt(i + 1) == 'x' ? hex(escaped, i + 2) : -1;
                int lo = hi < 0 ? -1 : hex(escaped, i + 3);
                if (lo < 0) {
                    throw new IllegalArgumentException("invalid escape sequence in unit name part '" + escaped + "'");
                }
                out.appendByte(hi * 16 + lo);
                i += 3;
            } else {
                out.appendCodePoint(escaped.codePointAt(i));
                i += Character.charCount(escaped.codePointAt(i)) - 1;
            }
        }
        return out.toString();
    }

    /** Unescapes a path: the result is absolute and must be normalized ({@code foo-bar} gives {@code /foo/bar}). */
    public static String unescapePath(String escaped) {
        String path = unescape(escaped);
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        if (path.length() > 1 && (path.contains("//") || path.endsWith("/") || path.matches(".*/\\.\\.?(/.*)?"))) {
            throw new IllegalArgumentException("unit name part '" + escaped + "' does not unescape to a normalized path");
        }
        return path;
    }

    private static int hex(String s, int i) {
        return i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
    }
}
