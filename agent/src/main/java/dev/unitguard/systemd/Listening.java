package dev.unitguard.systemd;

import java.util.concurrent.Future;
import org.freedesktop.dbus.DBusPath;

/**
 * Listening for the {@code PropertiesChanged} signals of a transient unit not yet started
 * ({@link SystemdClient#listen}): the match is being added on the bus while the caller prepares the unit, so that
 * {@link SystemdClient#launch} does not wait for it. Handed to launch, or closed when the unit is not started after
 * all. Not thread-safe.
 */
public final class Listening implements AutoCloseable {

    /** A session and the match added on it. */
    record Listened(BusSession session, BusSession.Changes changes) {
    }

    private final BusCalls calls;
    private final String name;
    private final String call;
    private final DBusPath path;
    private final Future<Listened> listened;
    private boolean handedOver;

    Listening(BusCalls calls, String name, DBusPath path, Future<Listened> listened) {
        this.calls = calls;
        this.name = name;
        this.call = "StartTransientUnit(" + name + ")";
        this.path = path;
        this.listened = listened;
    }

    /** The unit's name. */
    public String name() {
        return name;
    }

    DBusPath path() {
        return path;
    }

    /** The session and its match, once the bus added it; from now on the caller closes what it returns. */
    Listened handOver() throws SystemdException {
        handedOver = true;
        return calls.join(call, listened);
    }

    /** Removes the match unless {@link SystemdClient#launch} took it over. */
    @Override
    public void close() {
        if (handedOver) {
            return;
        }
        handedOver = true;
        try {
            calls.join(call, listened).changes().close();
        } catch (SystemdException e) {
            // no match was added, or the connection that held it is gone
        }
    }
}
