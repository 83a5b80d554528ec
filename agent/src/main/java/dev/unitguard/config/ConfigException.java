package dev.unitguard.config;

/** A configuration the agent cannot start with; the message is one line naming the file and the key. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
