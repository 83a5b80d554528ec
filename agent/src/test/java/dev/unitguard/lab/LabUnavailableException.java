package dev.unitguard.lab;

/** The lab cannot be booted on this machine (not root, no systemd-nspawn, the container failed): tests are skipped. */
public final class LabUnavailableException extends Exception {

    public LabUnavailableException(String reason) {
        super(reason);
    }

    public LabUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
