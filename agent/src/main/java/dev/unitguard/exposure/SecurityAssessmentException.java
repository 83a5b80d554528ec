package dev.unitguard.exposure;

/**
 * A setting systemd 252 rejects when it loads the unit (for example {@code RootDirectory=} with a relative path or
 * an invalid {@code User=}): systemd does not load such a unit, so it has no exposure score. The message is
 * systemd's own, with the file and line: {@code app.service:12: RootDirectory= path is not absolute: srv}.
 */
public final class SecurityAssessmentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SecurityAssessmentException(String message) {
        super(message);
    }
}
