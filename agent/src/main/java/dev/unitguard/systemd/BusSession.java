package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.Manager;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.freedesktop.dbus.DBusMatchRule;
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

    /**
     * Counts the {@code PropertiesChanged} signals of one object from now on, until closed: the match is added to
     * the bus before this returns (a call to the bus daemon, not to systemd) and removed on close.
     */
    Changes changes(String objectPath) throws DBusException {
        Changes changes = new Changes();
        changes.handler = connection.addGenericSigHandler(new DBusMatchRule("signal", "org.freedesktop.DBus.Properties",
                "PropertiesChanged", objectPath), signal -> changes.signalled());
        return changes;
    }

    /** The signals of one object so far; {@link #awaitAfter} wakes on the next. */
    static final class Changes implements AutoCloseable {
        private long count;
        private AutoCloseable handler;

        private synchronized void signalled() {
            count++;
            notifyAll();
        }

        synchronized long count() {
            return count;
        }

        /** The count once it passed {@code seen}, or after {@code wait} without a signal. */
        synchronized long awaitAfter(long seen, java.time.Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            long left;
            while (count == seen && (left = deadline - System.nanoTime()) > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return count;
        }

        @Override
        public void close() {
            try {
                handler.close();
            } catch (Exception e) {
                // the connection is gone, and its match with it
            }
        }
    }

    /** {@code GetAll(iface)} on a unit object. */
    Map<String, Variant<?>> properties(DBusPath unit, String iface) throws DBusException {
        return connection.getRemoteObject(Manager.BUS_NAME, unit.getPath(), Properties.class).GetAll(iface);
    }

    /** {@code Get(iface, name)} on a unit object: the value (unwrapped, should dbus-java hand out its variant). */
    Object property(DBusPath unit, String iface, String name) throws DBusException {
        Object value = connection.getRemoteObject(Manager.BUS_NAME, unit.getPath(), Properties.class).Get(iface, name);
        return value instanceof Variant<?> variant ? variant.getValue() : value;
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
