package dev.unitguard.sandbox;

/**
 * A requirements manifest that cannot be used; the message is one line naming the file and the field. Control
 * characters quoted from the input are shown escaped ({@code \u000A}), so the message stays one line.
 */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;



    public ManifestException(String message) {
        super(oneLine(message));
    }

    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        message.chars().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return sb.toString();
    }
}
