package dev.unitguard.unit;

import java.util.Objects;

/**
 * A unit name split as systemd does: {@code getty@tty1.service} has prefix {@code getty}, instance {@code tty1}
 * and type {@code service}; {@code getty@.service} is a template (empty instance); {@code sshd.service} has none.
 */
public record UnitName(String prefix, String instance, String type) {

    /** systemd's UNIT_NAME_MAX includes the terminating NUL. */
    static final int MAX_LENGTH = 255;
    private static final String VALID_CHARS =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:-_.\\";

    public UnitName {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(type, "type");
    }

    /** Parses and validates a unit name; the message says what is wrong with it. */
    public static UnitName parse(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid unit name '': empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid(name, "longer than " + MAX_LENGTH + " characters");
        }
        if (name.indexOf('/') >= 0) {
            throw invalid(name, "contains '/'");
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw invalid(name, "no unit type suffix such as .service");
        }
        String type = name.substring(dot + 1);
        if (!ConfigItems.UNIT_TYPES.contains(type)) {
            throw invalid(name, "unknown unit type '." + type + "'");
        }
        String stem = name.substring(0, dot);
        for (int i = 0; i < stem.length(); i++) {
            char c = stem.charAt(i);
            if (c != '@' && VALID_CHARS.indexOf(c) < 0) {
                throw invalid(name, "invalid character '" + c + "'");
            }
        }
        int at = stem.indexOf('@');
        if (at == 0 || stem.isEmpty()) {
            throw invalid(name, "empty name before the type suffix");
        }
        return at < 0 ? new UnitName(stem, null, type) : new UnitName(stem.substring(0, at), stem.substring(at + 1), type);
    }

    /** True for names that parse. */
    public static boolean isValid(String name) {
        try {
            parse(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static IllegalArgumentException invalid(String name, String why) {
        return new IllegalArgumentException("invalid unit name '" + name + "': " + why);
    }

    /** {@code foo@.service}: a template, instance empty. */
    public boolean isTemplate() {
        return instance != null && instance.isEmpty();
    }

    /** {@code foo@bar.service}: an instance of a template. */
    public boolean isInstance() {
        return instance != null && !instance.isEmpty();
    }

    /** The template this instance is made from ({@code foo@.service}), or this name itself. */
    public UnitName template() {
        return isInstance() ? new UnitName(prefix, "", type) : this;
    }

    /** This template's instance {@code instance}. */
    public UnitName withInstance(String newInstance) {
        return new UnitName(prefix, newInstance, type);
    }

    /** The full name. */
    public String name() {
        return prefix + (instance == null ? "" : "@" + instance) + "." + type;
    }

    @Override
    public String toString() {
        return name();
    }
}
