package dev.unitguard.sandbox;

import java.util.Objects;

/**
 * The answer for one required path or device. {@code deniedBy} names the directive that denies it (for example
 * {@code ProtectHome=yes} or {@code ReadOnlyPaths=/srv}), or {@code permissions} for file permissions, or
 * {@code missing}; it is null when {@code ok}.
 */
public record RequirementVerdict(String path, String access, boolean ok, String deniedBy, String reason) {

    public RequirementVerdict {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        if (ok == (deniedBy != null)) {
            throw new IllegalArgumentException("deniedBy must be set exactly when the requirement is not met");
        }
    }

    static RequirementVerdict granted(String path, String access, String reason) {
        return new RequirementVerdict(path, access, true, null, reason);
    }

    static RequirementVerdict denied(String path, String access, String deniedBy, String reason) {
        return new RequirementVerdict(path, access, false, deniedBy, reason);
    }
}
