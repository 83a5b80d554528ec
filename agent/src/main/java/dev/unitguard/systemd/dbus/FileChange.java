package dev.unitguard.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One change made by {@code EnableUnitFiles}/{@code DisableUnitFiles}: {@code (sss)} type, file, destination. */
public final class FileChange extends Struct {
    @Position(0) public final String type;
    @Position(1) public final String file;
    @Position(2) public final String destination;

    public FileChange(String type, String file, String destination) {
        this.type = type;
        this.file = file;
        this.destination = destination;
    }
}
