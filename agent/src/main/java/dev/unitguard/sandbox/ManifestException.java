package dev.unitguard.sandbox;

/** A requirements manifest that cannot be used; the message is one line naming the file and the field. */
public final class ManifestException extends Exception {
    private static final long serialVersionUID = 1L;


    public ManifestException(String message) {
        super(message);
    }
}
