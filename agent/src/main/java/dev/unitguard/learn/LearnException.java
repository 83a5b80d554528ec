package dev.unitguard.learn;

/** A learn that cannot run or did not finish, with why; {@link #reason()} says which kind, for the API's status. */
public final class LearnException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why learning failed. */
    public enum Reason {
        /** The unit is not running: nothing to observe. */
        NOT_RUNNING,
        /** A learn of the same unit, or too many learns, run already. */
        BUSY,
        /** The mode is not available. */
        UNSUPPORTED,
        /** The sampler could not start, failed, or gave no usable answer. */
        FAILED
    }

    private final Reason reason;

    public LearnException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LearnException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
