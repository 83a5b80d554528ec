package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.Manager;
import java.io.IOException;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/** One connection to the bus with systemd's manager object and the job watch subscribed on it. */
final class BusSession implements AutoCloseable {

    private final DBusConnection connection;
    private final Manager manager;
    private final JobWatch jobs;

    private BusSession(DBusConnection connection, Manager manager, JobWatch jobs) {
        this.connection = connection;
        this.manager = manager;
        this.jobs = jobs;
    }

    /**
     * How long dbus-java keeps retrying to connect (every 500 ms): one retry rides over a bus being restarted, while
     * a missing socket still fails fast (its default, 10 s, would outlast most call timeouts).
     */
    private static final int CONNECT_RETRY_MILLIS = 1000;

    /** Connects, listens for JobRemoved and subscribes to systemd's signals. */
    static BusSession open(String address) throws DBusException, IOException {
        DBusConnection connection = DBusConnectionBuilder.forAddress(address).withShared(false)
                .transportConfig().withTimeout(CONNECT_RETRY_MILLIS).back().build();
        try {
            JobWatch jobs = new JobWatch();
            connection.addSigHandler(Manager.JobRemoved.class, jobs);
            Manager manager = connection.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
            manager.Subscribe();
            return new BusSession(connection, manager, jobs);
        } catch (DBusException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    Manager manager() {
        return manager;
    }

    JobWatch jobs() {
        return jobs;
    }

    boolean isConnected() {
        return connection.isConnected();
    }

    /** {@code GetAll(iface)} on a unit object. */
    Map<String, Variant<?>> properties(DBusPath unit, String iface) throws DBusException {
        return connection.getRemoteObject(Manager.BUS_NAME, unit.getPath(), Properties.class).GetAll(iface);
    }

    /** {@code Get(iface, name)} on a unit object. */
    Object property(DBusPath unit, String iface, String name) throws DBusException {
        return connection.getRemoteObject(Manager.BUS_NAME, unit.getPath(), Properties.class).Get(iface, name);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            // The connection is gone either way.
        }
    }
}
