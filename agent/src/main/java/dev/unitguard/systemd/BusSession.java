package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.Manager;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.IDisconnectCallback;
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
    private final AtomicBoolean closedByBus;

    private BusSession(DBusConnection connection, Manager manager, JobWatch jobs, AtomicBoolean closedByBus) {
        this.connection = connection;
        this.manager = manager;
        this.jobs = jobs;
        this.closedByBus = closedByBus;
    }

    /**
     * How long dbus-java keeps retrying to connect (every 500 ms): one retry rides over a bus being restarted, while
     * a missing socket still fails fast (its default, 10 s, would outlast most call timeouts).
     */
    private static final int CONNECT_RETRY_MILLIS = 1000;

    /** Connects, listens for JobRemoved and subscribes to systemd's signals. */
    static BusSession open(String address) throws DBusException, IOException {
        AtomicBoolean closedByBus = new AtomicBoolean();
        DBusConnection connection = DBusConnectionBuilder.forAddress(address).withShared(false)
                .withDisconnectCallback(new IDisconnectCallback() {
                    @Override
                    public void disconnectOnError(IOException cause) {
                        closedByBus.set(true);
                    }
                })
                .transportConfig().withTimeout(CONNECT_RETRY_MILLIS).back().build();
        try {
            JobWatch jobs = new JobWatch();
            connection.addSigHandler(Manager.JobRemoved.class, jobs);
            Manager manager = connection.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class);
            manager.Subscribe();
            return new BusSession(connection, manager, jobs, closedByBus);
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

    /**
     * False once the bus closed the connection. dbus-java calls the disconnect callback before it fails the pending
     * calls, so a call failed by the disconnect always sees false here.
     */
    boolean isConnected() {
        return !closedByBus.get() && connection.isConnected();
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
