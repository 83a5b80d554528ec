package dev.unitguard.systemd.dbus;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** Two strings, {@code (ss)}: TemporaryFileSystem= (path, options), DeviceAllow= (path, rights), LoadCredential=. */
public final class StringPair extends Struct {
    @Position(0) public final String first;
    @Position(1) public final String second;

    public StringPair(String first, String second) {
        this.first = first;
        this.second = second;
    }
}
