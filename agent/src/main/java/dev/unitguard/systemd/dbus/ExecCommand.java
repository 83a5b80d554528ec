package dev.unitguard.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** A command line of a transient unit's {@code ExecStart}: {@code (sasb)} path, argv, ignore failure. */
public final class ExecCommand extends Struct {
    @Position(0) public final String path;
    @Position(1) public final List<String> argv;
    @Position(2) public final boolean ignoreFailure;

    public ExecCommand(String path, List<String> argv, boolean ignoreFailure) {
        this.path = path;
        this.argv = argv;
        this.ignoreFailure = ignoreFailure;
    }
}
