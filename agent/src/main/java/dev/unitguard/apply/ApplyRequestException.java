package dev.unitguard.apply;

import dev.unitguard.json.JsonPath;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that cannot be carried out as asked: a bad field (the message names it), an unknown unit, a reused
 * idempotency key, a history entry that does not exist. The REST layer answers 4xx with the {@link Kind}.
 */
public final class ApplyRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The kinds of bad request, each with the HTTP status the REST layer answers. */
    public enum Kind {
        INVALID_FIELD(400), UNIT_NOT_FOUND(404), HISTORY_ENTRY_NOT_FOUND(404), IDEMPOTENCY_KEY_REUSED(422),
        UNIT_NOT_LOADABLE(422),
        /** The caller's scope does not allow this operation or directive (docs/security.md). */
        SCOPE_FORBIDDEN(403),
        /** An allowed directive with a value that would raise the service's privileges or its exposure. */
        PRIVILEGE_RAISING(422);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;
    private final transient Map<String, Object> members;

    public ApplyRequestException(Kind kind, String message) {
        this(kind, message, Map.of());
    }

    /** With machine-readable details ({@code directive}, {@code scope}, {@code requiredScope}...), in order. */
    public ApplyRequestException(Kind kind, String message, Map<String, Object> members) {
        super(message);
        this.kind = kind;
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /**
     * A bad value of the request at {@code at} (as the JSON body of the REST layer names it): the message is
     * {@code $.set.ProtectSystem: reason} and the member {@code pointer} is {@code /set/ProtectSystem}, the layout of
     * every bad-field problem (docs/api.md, "Errors").
     */
    public static ApplyRequestException invalidField(JsonPath at, String reason) {
        return new ApplyRequestException(Kind.INVALID_FIELD, at + ": " + reason, Map.of("pointer", at.pointer()));
    }

    public Kind kind() {
        return kind;
    }

    /** Details the REST layer adds to its problem as extension members; empty for most kinds. */
    public Map<String, Object> members() {
        return members;
    }
}
