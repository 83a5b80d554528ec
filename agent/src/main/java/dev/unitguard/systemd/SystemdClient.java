package dev.unitguard.systemd;

import dev.unitguard.systemd.dbus.FileChange;
import dev.unitguard.systemd.dbus.Manager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.types.Variant;
import org.freedesktop.systemd1.NoSuchUnit;

/**
 * systemd's manager ({@code org.freedesktop.systemd1}) over D-Bus. Calls block (run them on workers) and each is
 * bounded by a timeout; jobs are awaited through the JobRemoved signal. A lost connection is reported as
 * {@link SystemdException.BusLost} and the next call reconnects. Thread-safe.
 */
public final class SystemdClient implements AutoCloseable {

    /** The system bus, as systemd's own tools find it when DBUS_SYSTEM_BUS_ADDRESS is not set. */
    public static final String SYSTEM_BUS = "unix:path=/run/dbus/system_bus_socket";
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(25);
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofSeconds(90);

    private static final String UNIT = "org.freedesktop.systemd1.Unit";
    private static final String SERVICE = "org.freedesktop.systemd1.Service";

    private final BusCalls calls;
    private final Duration jobTimeout;

    private SystemdClient(String address, Duration callTimeout, Duration jobTimeout) {
        this.calls = new BusCalls(Objects.requireNonNull(address, "address"), callTimeout);
        this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
    }

    /** The machine's system bus ({@link #systemBusAddress()}). */
    public static SystemdClient systemBus() {
        return forAddress(systemBusAddress());
    }

    /** The machine's system bus address: {@code DBUS_SYSTEM_BUS_ADDRESS}, else {@link #SYSTEM_BUS}. */
    public static String systemBusAddress() {
        return Optional.ofNullable(System.getenv("DBUS_SYSTEM_BUS_ADDRESS")).orElse(SYSTEM_BUS);
    }

    public static SystemdClient forAddress(String address) {
        return forAddress(address, DEFAULT_CALL_TIMEOUT, DEFAULT_JOB_TIMEOUT);
    }

    public static SystemdClient forAddress(String address, Duration callTimeout, Duration jobTimeout) {
        return new SystemdClient(address, callTimeout, jobTimeout);
    }

    public String address() {
        return calls.address();
    }

    /** {@code ListUnits}: every loaded unit with its states. */
    public List<UnitStatus> listUnits() throws SystemdException {
        return calls.call("ListUnits()", s -> s.manager().ListUnits().stream()
                .map(u -> new UnitStatus(u.name, u.description, u.loadState, u.activeState, u.subState))
                .toList());
    }

    /**
     * {@code ListUnitsByPatterns}: the loaded units whose names match one of the glob {@code patterns}; systemd filters,
     * so only those cross the bus.
     */
    public List<UnitStatus> listUnits(List<String> patterns) throws SystemdException {
        return calls.call("ListUnitsByPatterns(" + String.join(" ", patterns) + ")", s -> s.manager()
                .ListUnitsByPatterns(List.of(), List.copyOf(patterns)).stream()
                .map(u -> new UnitStatus(u.name, u.description, u.loadState, u.activeState, u.subState))
                .toList());
    }

    /** The manager's {@code Version} property, such as {@code 252.36-1~deb12u1}. */
    public String version() throws SystemdException {
        return calls.call("Get(Version)", s -> String.valueOf(s.property(
                new DBusPath(Manager.OBJECT_PATH), "org.freedesktop.systemd1.Manager", "Version")));
    }

    /** The unit's properties, loading it if needed (a unit that does not exist reads as {@code not-found}). */
    public UnitProperties unit(String name) throws SystemdException {
        return calls.call("GetAll(" + name + ")", s -> read(s, name));
    }

    /**
     * The properties of a unit systemd has loaded, or empty when it has none by that name ({@code GetUnit}, never
     * {@code LoadUnit}): reading a unit that is gone must not load it again, or systemd makes a stub, collects it and
     * signals {@code UnitNew}/{@code UnitRemoved} once more, and a listener that reads on those signals never stops.
     */
    public Optional<UnitProperties> loadedUnit(String name) throws SystemdException {
        return ifLoaded("GetUnit(" + name + ")", name, (s, path) -> read(s, name, path));
    }

    /**
     * The {@code InvocationID} of a unit systemd has loaded, in hex (empty when it never ran), or empty when it has
     * none by that name: {@code GetUnit} and one {@code Get}, not all of its properties.
     */
    public Optional<String> invocationId(String name) throws SystemdException {
        return ifLoaded("Get(" + name + " InvocationID)", name, (s, path) -> UnitProperties.invocationId(
                PropertyMap.hex(name, "InvocationID", s.property(path, UNIT, "InvocationID"))));
    }

    /** Reads from a loaded unit's object. */
    private interface LoadedRead<T> {
        T apply(BusSession session, DBusPath path) throws Exception;
    }

    /** {@code read} of the unit's object after {@code GetUnit}; empty when systemd has no unit by that name. */
    private <T> Optional<T> ifLoaded(String call, String name, LoadedRead<T> read) throws SystemdException {
        return calls.call(call, s -> {
            DBusPath path;
            try {
                path = s.manager().GetUnit(name);
            } catch (NoSuchUnit e) {
                return Optional.empty();
            }
            return Optional.of(read.apply(s, path));
        });
    }

    /**
     * The properties of each loaded unit ({@link #loadedUnit}); a unit that is not loaded, or cannot be read, is
     * reported in its place; a lost bus is thrown.
     */
    public List<UnitReading> loadedUnits(List<String> names) throws SystemdException {
        List<UnitReading> readings = new ArrayList<>();
        for (String name : names) {
            try {
                readings.add(loadedUnit(name).<UnitReading>map(UnitReading.Read::new)
                        .orElseGet(() -> new UnitReading.NotLoaded(name)));
            } catch (SystemdException.BusLost lost) {
                throw lost;
            } catch (SystemdException e) {
                readings.add(new UnitReading.Failed(name, e.getMessage()));
            }
        }
        return readings;
    }

    /** {@code Reload}: daemon-reload; returns once systemd has re-read its units. */
    public void reload() throws SystemdException {
        calls.call("Reload()", s -> {
            s.manager().Reload();
            return null;
        });
    }

    public JobOutcome start(String unit) throws SystemdException {
        return start(unit, jobTimeout);
    }

    /** {@code StartUnit(unit, "replace")}, waiting at most {@code timeout} for the job to finish. */
    public JobOutcome start(String unit, Duration timeout) throws SystemdException {
        return job("StartUnit(" + unit + ")", unit, timeout, s -> s.manager().StartUnit(unit, "replace"));
    }

    public JobOutcome stop(String unit) throws SystemdException {
        return stop(unit, jobTimeout);
    }

    /** {@code StopUnit(unit, "replace")}, waiting at most {@code timeout} for the job to finish. */
    public JobOutcome stop(String unit, Duration timeout) throws SystemdException {
        return job("StopUnit(" + unit + ")", unit, timeout, s -> s.manager().StopUnit(unit, "replace"));
    }

    public JobOutcome restart(String unit) throws SystemdException {
        return restart(unit, jobTimeout);
    }

    /** {@code RestartUnit(unit, "replace")}, waiting at most {@code timeout} for the job to finish. */
    public JobOutcome restart(String unit, Duration timeout) throws SystemdException {
        return job("RestartUnit(" + unit + ")", unit, timeout, s -> s.manager().RestartUnit(unit, "replace"));
    }

    /** Queues a job and waits for its JobRemoved (listened for since the session opened, so none is missed). */
    private JobOutcome job(String call, String unit, Duration timeout, BusCalls.Body<DBusPath> enqueue)
            throws SystemdException {
        BusSession session = calls.session(call);
        DBusPath job = calls.on(session, call, enqueue);
        return JobOutcome.of(unit, job.getPath(), calls.awaitJob(session, call, job.getPath(), timeout));
    }

    /** {@code ResetFailedUnit}: forgets the failed state and restart counter. */
    public void resetFailed(String unit) throws SystemdException {
        calls.call("ResetFailedUnit(" + unit + ")", s -> {
            s.manager().ResetFailedUnit(unit);
            return null;
        });
    }

    /** {@code EnableUnitFiles} (persistent, no force); call {@link #reload()} afterwards as systemctl does. */
    public List<UnitFileChange> enable(List<String> unitFiles) throws SystemdException {
        return calls.call("EnableUnitFiles(" + String.join(" ", unitFiles) + ")",
                s -> changes(s.manager().EnableUnitFiles(unitFiles, false, false).changes));
    }

    /** {@code DisableUnitFiles} (persistent); call {@link #reload()} afterwards as systemctl does. */
    public List<UnitFileChange> disable(List<String> unitFiles) throws SystemdException {
        return calls.call("DisableUnitFiles(" + String.join(" ", unitFiles) + ")",
                s -> changes(s.manager().DisableUnitFiles(unitFiles, false)));
    }

    /** {@code StartTransientUnit}, awaiting the start job (for a simple service: until its process was forked). */
    public JobOutcome startTransient(TransientUnit unit) throws SystemdException {
        return job("StartTransientUnit(" + unit.name() + ")", unit.name(), jobTimeout, s -> s.manager()
                .StartTransientUnit(unit.name(), "fail", TransientEncoding.encode(unit, false), List.of()));
    }

    /**
     * Runs a transient service until it stopped and returns its final state (result, exit status):
     * {@link #launch} and {@link RunningTransient#await}.
     */
    public TransientRun runTransient(TransientUnit unit, Duration timeout) throws SystemdException {
        try (RunningTransient running = launch(unit, timeout)) {
            return running.await();
        }
    }

    /**
     * Starts a transient service and returns as soon as systemd accepted it ({@code StartTransientUnit} answered),
     * while it runs: the caller may do other work until {@link RunningTransient#await} (see there). The unit is
     * kept loaded for reading ({@code AddRef}) and released by {@code close} (which awaits it when nobody did).
     * The {@code PropertiesChanged} signals of its object are listened for before it starts, so none is missed.
     */
    public RunningTransient launch(TransientUnit unit, Duration timeout) throws SystemdException {
        return launch(unit, listen(unit.name()), timeout);
    }

    /**
     * Starts listening for the signals of the transient unit {@code name} and returns before the bus answered, so
     * that the caller can prepare the unit meanwhile and {@link #launch(TransientUnit, Listening, Duration)} it
     * without that round trip; a failure (no bus) comes out of launch, or is dropped by {@link Listening#close}.
     */
    public Listening listen(String name) {
        DBusPath path = new DBusPath(UnitSignals.objectPath(name));
        return new Listening(calls, name, path, calls.send("StartTransientUnit(" + name + ")",
                s -> new Listening.Listened(s, s.changes(path.getPath()))));
    }

    /** As {@link #launch(TransientUnit, Duration)}, with the signals of the unit listened for since {@link #listen}. */
    public RunningTransient launch(TransientUnit unit, Listening listening, Duration timeout)
            throws SystemdException {
        if (!listening.name().equals(unit.name())) {
            listening.close();
            throw new IllegalArgumentException("listening for " + listening.name() + ", not " + unit.name());
        }
        String call = "StartTransientUnit(" + unit.name() + ")";
        Instant deadline = Instant.now().plus(timeout);
        Listening.Listened listened = listening.handOver();
        BusSession session = listened.session();
        BusSession.Changes changes = listened.changes();
        DBusPath path = listening.path();
        try {
            DBusPath job = calls.on(session, call, s -> s.manager().StartTransientUnit(unit.name(), "fail",
                    TransientEncoding.encode(unit, true), List.of()));
            return new RunningTransient(this, calls, session, unit.name(), path, changes, job.getPath(), deadline,
                    timeout);
        } catch (SystemdException | RuntimeException e) {
            changes.close();
            throw e;
        }
    }

    private static UnitProperties read(BusSession session, String name) throws Exception {
        return read(session, name, session.manager().LoadUnit(name));
    }

    static UnitProperties read(BusSession session, String name, DBusPath path) throws Exception {
        PropertyMap unit = new PropertyMap(name, session.properties(path, UNIT));
        Optional<PropertyMap> service = name.endsWith(".service")
                ? Optional.of(new PropertyMap(name, session.properties(path, SERVICE))) : Optional.empty();
        return UnitProperties.from(name, unit, service);
    }

    /** As {@link #read(BusSession, String, DBusPath)}, the two {@code GetAll} in flight at once (one round trip). */
    static UnitProperties read(BusCalls calls, BusSession session, String call, String name, DBusPath path)
            throws SystemdException {
        Future<Map<String, Variant<?>>> unit = calls.send(session, s -> s.properties(path, UNIT));
        Optional<Future<Map<String, Variant<?>>>> service = name.endsWith(".service")
                ? Optional.of(calls.send(session, s -> s.properties(path, SERVICE))) : Optional.empty();
        PropertyMap unitProperties = new PropertyMap(name, calls.join(session, call, unit));
        Optional<PropertyMap> serviceProperties = Optional.empty();
        if (service.isPresent()) {
            serviceProperties = Optional.of(new PropertyMap(name, calls.join(session, call, service.get())));
        }
        return UnitProperties.from(name, unitProperties, serviceProperties);
    }

    private static List<UnitFileChange> changes(List<FileChange> changes) {
        return changes.stream().map(c -> new UnitFileChange(c.type, c.file, c.destination)).toList();
    }

    @Override
    public void close() {
        calls.close();
    }
}
