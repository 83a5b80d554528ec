package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.Manager;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.freedesktop.dbus.DBusMatchRule;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * A connection of its own that listens to systemd's unit signals ({@code Subscribe}, then {@code UnitNew},
 * {@code UnitRemoved}, {@code Reloading} and {@code PropertiesChanged} on unit objects) and tells a
 * {@link Listener} which unit changed. The listener runs on dbus-java's signal thread: it should only note the
 * change and return. A closed connection is reported once through {@link Listener#lost}.
 */
public final class UnitSignals implements AutoCloseable {

    /** What changed. Implementations must not block. */
    public interface Listener {
        /** The unit's state or properties changed, or it was loaded ({@code UnitNew}). */
        void unitChanged(String unit);

        /**
         * systemd unloaded the unit ({@code UnitRemoved}). Drop it: reading it now would load it again, and systemd
         * would collect that stub and signal its removal once more.
         */
        void unitRemoved(String unit);

        /**
         * systemd started reloading its configuration ({@code Reloading(true)}): the {@code UnitNew} signals of every
         * unit it loads again follow, then {@link #reloaded}.
         */
        void reloading();

        /**
         * systemd finished reloading ({@code Reloading(false)}, sent after the units' own signals): every unit may
         * have changed.
         */
        void reloaded();

        /** The bus closed the connection; no more signals come. */
        void lost(String reason);
    }

    static final String UNIT_PATH_PREFIX = "/org/freedesktop/systemd1/unit/";

    private final DBusConnection connection;
    private final AtomicBoolean closedByBus;

    private UnitSignals(DBusConnection connection, AtomicBoolean closedByBus) {
        this.connection = connection;
        this.closedByBus = closedByBus;
    }

    /** Connects to {@code address} and subscribes; a failure to connect is {@link SystemdException.BusLost}. */
    public static UnitSignals open(String address, Listener listener) throws SystemdException {
        Objects.requireNonNull(listener, "listener");
        AtomicBoolean closedByBus = new AtomicBoolean();
        DBusConnection connection;
        try {
            connection = DBusConnectionBuilder.forAddress(address).withShared(false)
                    .withDisconnectCallback(new IDisconnectCallback() {
                        @Override
                        public void disconnectOnError(IOException cause) {
                            if (!closedByBus.getAndSet(true)) {
                                listener.lost(String.valueOf(cause.getMessage()));
                            }
                        }
                    })
                    .transportConfig().withTimeout(1000).back().build();
        } catch (DBusException | RuntimeException e) {
            throw new SystemdException.BusLost("Subscribe()", address, "cannot connect: " + e.getMessage(), e);
        }
        try {
            connection.addGenericSigHandler(new DBusMatchRule("signal", "org.freedesktop.DBus.Properties",
                    "PropertiesChanged"), signal -> unitPath(signal).ifPresent(listener::unitChanged));
            connection.addGenericSigHandler(new DBusMatchRule("signal", Manager.BUS_NAME + ".Manager", "UnitNew"),
                    signal -> firstArgument(signal, String.class).ifPresent(listener::unitChanged));
            connection.addGenericSigHandler(new DBusMatchRule("signal", Manager.BUS_NAME + ".Manager",
                    "UnitRemoved"), signal -> firstArgument(signal, String.class).ifPresent(listener::unitRemoved));
            connection.addGenericSigHandler(new DBusMatchRule("signal", Manager.BUS_NAME + ".Manager", "Reloading"),
                    signal -> {
                        if (firstArgument(signal, Boolean.class).orElse(false)) {
                            listener.reloading();
                        } else {
                            listener.reloaded();
                        }
                    });
            connection.getRemoteObject(Manager.BUS_NAME, Manager.OBJECT_PATH, Manager.class).Subscribe();
            return new UnitSignals(connection, closedByBus);
        } catch (DBusException | RuntimeException e) {
            connection.disconnect();
            throw new SystemdException.BusLost("Subscribe()", address, "cannot subscribe: " + e.getMessage(), e);
        }
    }

    /** False once the bus closed the connection (or {@link #close} was called). */
    public boolean isConnected() {
        return !closedByBus.get() && connection.isConnected();
    }

    private static Optional<String> unitPath(DBusSignal signal) {
        String path = signal.getPath();
        return path != null && path.startsWith(UNIT_PATH_PREFIX)
                ? Optional.of(unitName(path.substring(UNIT_PATH_PREFIX.length()))) : Optional.empty();
    }

    private static <T> Optional<T> firstArgument(DBusSignal signal, Class<T> type) {
        try {
            Object[] parameters = signal.getParameters();
            return parameters.length > 0 && type.isInstance(parameters[0]) ? Optional.of(type.cast(parameters[0]))
                    : Optional.empty();
        } catch (DBusException e) {
            return Optional.empty();
        }
    }

    /**
     * The object path of a unit as systemd names it (sd-bus' {@code bus_label_escape}): every byte but an ASCII
     * letter or digit (and a digit first) as {@code _xx}, so {@code foo-bar.service} is
     * {@code /org/freedesktop/systemd1/unit/foo_2dbar_2eservice}.
     */
    static String objectPath(String unit) {
        StringBuilder path = new StringBuilder(UNIT_PATH_PREFIX);
        byte[] bytes = unit.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean letter = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
            boolean digit = b >= '0' && b <= '9';
            if (letter || digit && i > 0) {
                path.append((char) b);
            } else {
                path.append('_').append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        return path.toString();
    }

    /** Reverses sd-bus' object path escaping: {@code foo_2dbar_2eservice} is {@code foo-bar.service}. */
    static String unitName(String label) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '_' && isHex(label, i + 1) && isHex(label, i + 2)) {
                name.append((char) Integer.parseInt(label.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
    }

    @Override
    public void close() {
        closedByBus.set(true);
        connection.disconnect();
    }
}
