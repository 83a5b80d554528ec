package dev.unitguard.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.types.UInt64;

/** One entry of BindPaths= / BindReadOnlyPaths=, {@code (ssbt)}: source, destination, ignore if missing, mount flags. */
public final class BindPath extends Struct {
    @Position(0) public final String source;
    @Position(1) public final String destination;
    @Position(2) public final boolean ignoreMissing;
    @Position(3) public final UInt64 flags;

    public BindPath(String source, String destination, boolean ignoreMissing, UInt64 flags) {
        this.source = source;
        this.destination = destination;
        this.ignoreMissing = ignoreMissing;
        this.flags = flags;
    }
}
