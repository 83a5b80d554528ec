package dev.unitguard.json;

import java.util.Objects;

/**
 * JSON input that cannot be used, and where: {@link #at()} the value at fault, {@link #reason()} what is wrong with
 * it. The message is the one layout of every such error, {@code $.set.ProtectSystem: expected a string}. Thrown by
 * {@link Json#read} and by the compact constructors of the records it reads into (with a path relative to the
 * record, which {@link Json#read} makes absolute).
 */
public final class JsonInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient JsonPath at;
    private final String reason;

    public JsonInputException(JsonPath at, String reason) {
        super(at + ": " + reason, null, false, false);
        this.at = Objects.requireNonNull(at, "at");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A reason about the value itself: a record's constructor refusing what it was given. */
    public JsonInputException(String reason) {
        this(JsonPath.ROOT, reason);
    }

    public JsonPath at() {
        return at;
    }

    public String reason() {
        return reason;
    }

    /** The same error seen from {@code outer}: {@code $.paths[0]: ...} read inside {@code $.requires}. */
    public JsonInputException within(JsonPath outer) {
        return new JsonInputException(outer.resolve(at), reason);
    }
}
