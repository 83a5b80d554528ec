package dev.unitguard.systemd.dbus;

import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.Position;

/**
 * The reply of {@code EnableUnitFiles}: {@code (b a(sss))}. Generic because dbus-java only converts the members of
 * a tuple whose types it can read from the method's generic return type.
 */
public final class EnableReply<A, B> extends Tuple {
    @Position(0) public final A carriesInstallInfo;
    @Position(1) public final B changes;

    public EnableReply(A carriesInstallInfo, B changes) {
        this.carriesInstallInfo = carriesInstallInfo;
        this.changes = changes;
    }
}
