package dev.unitguard.apply;

/**
 * A request that cannot be carried out as asked: a bad field (the message names it), an unknown unit, a reused
 * idempotency key, a history entry that does not exist. The REST layer answers 4xx with the {@link Kind}.
 */
public final class ApplyRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The kinds of bad request, each with the HTTP status the REST layer answers. */
    public enum Kind {
        INVALID_FIELD(400), UNIT_NOT_FOUND(404), HISTORY_ENTRY_NOT_FOUND(404), IDEMPOTENCY_KEY_REUSED(422),
        UNIT_NOT_LOADABLE(422);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public ApplyRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
