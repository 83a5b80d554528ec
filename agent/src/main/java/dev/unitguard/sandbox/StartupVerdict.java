package dev.unitguard.sandbox;

/**
 * Whether the service's processes would be spawned. When not, {@code exitStatus} and {@code exitStatusName} are
 * systemd's ({@code 226}, {@code NAMESPACE}) and {@code reason} reads like the journal line systemd would log.
 */
public record StartupVerdict(boolean ok, Integer exitStatus, String exitStatusName, String reason) {

    public StartupVerdict {
        if (ok && (exitStatus != null || exitStatusName != null)) {
            throw new IllegalArgumentException("a successful start has no exit status");
        }
    }

    static StartupVerdict success() {
        return new StartupVerdict(true, null, null, null);
    }

    static StartupVerdict failure(ExitStatus status, String reason) {
        return new StartupVerdict(false, status.code(), status.name(), reason);
    }
}
