package org.freedesktop.systemd1;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * systemd's D-Bus error {@code org.freedesktop.systemd1.NoSuchUnit} ("Unit X not loaded."): dbus-java throws the
 * class named like a remote error, so this is how a caller tells it from other failures.
 */
public class NoSuchUnit extends DBusExecutionException {

    private static final long serialVersionUID = 1L;

    public NoSuchUnit(String message) {
        super(message);
    }
}
