package dev.unitguard.cli;

/** Unreadable or invalid input named by the user: reported as one line on stderr with exit status 2. */
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
