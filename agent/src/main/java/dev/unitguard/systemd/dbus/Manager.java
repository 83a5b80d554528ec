package dev.unitguard.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** {@code org.freedesktop.systemd1.Manager} at {@code /org/freedesktop/systemd1} (see org.freedesktop.systemd1(5)). */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
@SuppressWarnings("checkstyle:methodname")
public interface Manager extends DBusInterface {

    String BUS_NAME = "org.freedesktop.systemd1";
    String OBJECT_PATH = "/org/freedesktop/systemd1";

    /** Asks systemd to send signals (JobRemoved among them) while this client is connected. */
    void Subscribe();

    List<UnitEntry> ListUnits();

    /** The loaded units whose names match one of the glob {@code patterns} (and one of {@code states}, if any). */
    List<UnitEntry> ListUnitsByPatterns(List<String> states, List<String> patterns);

    /** The object path of a unit systemd has loaded; fails with {@code NoSuchUnit} for one it has not. */
    DBusPath GetUnit(String name);

    /** The unit's object path, loading it from disk if needed (a missing unit loads as {@code not-found}). */
    DBusPath LoadUnit(String name);

    void Reload();

    DBusPath StartUnit(String name, String mode);

    DBusPath StopUnit(String name, String mode);

    DBusPath RestartUnit(String name, String mode);

    void ResetFailedUnit(String name);

    EnableReply<Boolean, List<FileChange>> EnableUnitFiles(List<String> files, boolean runtime, boolean force);

    List<FileChange> DisableUnitFiles(List<String> files, boolean runtime);

    DBusPath StartTransientUnit(String name, String mode, List<NamedValue> properties, List<AuxUnit> aux);

    /** Drops the reference a client took with the transient property {@code AddRef=yes}. */
    void UnrefUnit(String name);

    /** Sent when a job finished: {@code result} is done, canceled, timeout, failed, dependency, skipped, ... */
    class JobRemoved extends DBusSignal {
        private final long id;
        private final String job;
        private final String unit;
        private final String result;

        public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
            super(path, id, job, unit, result);
            this.id = id.longValue();
            this.job = job.getPath();
            this.unit = unit;
            this.result = result;
        }

        public long id() {
            return id;
        }

        public String job() {
            return job;
        }

        public String unit() {
            return unit;
        }

        public String result() {
            return result;
        }
    }
}
