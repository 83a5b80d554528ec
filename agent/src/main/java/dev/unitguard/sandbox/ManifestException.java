package dev.unitguard.sandbox;

import dev.unitguard.json.JsonPath;
import java.util.Optional;

/**
 * A requirements manifest that cannot be used; the message is one line naming the file and, when a value is at
 * fault, its JSON path: {@code bad.json: $.paths[3].path: control character U+000A in path}. {@link #at()} and
 * {@link #reason()} give the two parts apart, for a manifest inside a request body. Control characters quoted from
 * the input are shown escaped ({@code \u000A}), so the message stays one line.
 */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient JsonPath at;
    private final String reason;

    /** The file as a whole: missing, unreadable, not UTF-8. */
    public ManifestException(String message) {
        super(oneLine(message));
        this.at = null;
        this.reason = oneLine(message);
    }

    /** A value at {@code at} in the manifest named {@code source}. */
    public ManifestException(String source, JsonPath at, String reason) {
        super(oneLine(source + ": " + at + ": " + reason));
        this.at = at;
        this.reason = oneLine(reason);
    }

    /** The value at fault, inside the manifest; empty when the file as a whole is. */
    public Optional<JsonPath> at() {
        return Optional.ofNullable(at);
    }

    /** What is wrong, without the file and the path. */
    public String reason() {
        return reason;
    }

    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        message.chars().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", c) : String.valueOf((char) c)));
        return sb.toString();
    }
}
