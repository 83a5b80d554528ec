package dev.unitguard.probe;

/**
 * A probe that cannot be run: a directive that cannot be passed to a transient unit (the message names it and its
 * file and line), no systemd reachable, or a probe that did not finish in time. What the sandbox did to the probe is
 * never an exception: it is the {@link ProbeResult}.
 */
public final class ProbeException extends Exception {
    private static final long serialVersionUID = 1L;


    public ProbeException(String message) {
        super(message);
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
