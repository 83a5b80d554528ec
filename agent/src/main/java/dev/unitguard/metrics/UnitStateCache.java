package dev.unitguard.metrics;

import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.DaemonThreads;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.UnitProperties;
import dev.unitguard.systemd.UnitReading;
import dev.unitguard.systemd.UnitSignals;
import dev.unitguard.systemd.UnitStatus;
import dev.unitguard.unit.SystemdVersion;
import dev.unitguard.unit.UnitLoader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The service units systemd has loaded, with their states, kept current by systemd's signals and a periodic resync.
 * A unit that changed or was loaded is re-read a moment later, and only while systemd still has it loaded
 * ({@code GetUnit}); a unit systemd unloaded is dropped without a call, since reading it would load it again and
 * start a loop of load, collect and signal. The periodic resync lists the units and re-reads only those whose states
 * differ from the cache; a reload of systemd or a new signal connection re-reads all. A reload is read once, after it
 * finished: systemd signals {@code UnitNew} for every unit it loaded again before its {@code Reloading(false)}, and
 * those are left to that one re-reading instead of being read on their own first. Readers (scrapes, the API) only
 * read memory. All D-Bus and file work runs on the cache's own thread.
 */
public final class UnitStateCache implements AutoCloseable {

    /**
     * A unit's state, its exposure, and the fingerprint of the files the exposure was computed from. {@code scored}
     * is false while the exposure is not computed yet (the first page of the first reading is published with its
     * states before it is scored): {@code exposure} is empty then, as for a unit whose files cannot be assessed, and
     * {@link #reading()} says that scoring is under way.
     */
    public record CachedUnit(UnitProperties properties, Optional<BigDecimal> exposure, String filesStamp,
                             boolean scored) {
        public CachedUnit {
            if (!scored && exposure.isPresent()) {
                throw new IllegalArgumentException("an exposure for an unscored unit: " + properties.name());
            }
        }
    }

    private static final Logger LOG = Logger.getLogger(UnitStateCache.class.getName());
    private static final Duration DEBOUNCE = Duration.ofMillis(200);
    /** How long signalled units wait for a reload to finish before they are read anyway (no Reloading(false)). */
    static final Duration RELOAD_WAIT = Duration.ofSeconds(30);
    /**
     * Units read (D-Bus and exposure) before they are published: the first page makes the agent ready, the rest
     * follows page by page, so start-up does not wait for thousands of units (memory holds one page of readings).
     * The first page is smaller: read while the JVM is still cold (in the lab, 100 units took 3 to 5 s then). The
     * first page of the first reading is published with its states alone, and scored right after: scoring, cold,
     * (the unit search path, the loader's and the assessor's classes) was a third of the agent's time to READY=1.
     */
    static final int FIRST_PAGE = 25;
    static final int PAGE = 100;

    private final SystemdClient client;
    private final Path root;
    private final AgentMetrics metrics;
    private final Duration resyncInterval;
    private final ScheduledExecutorService worker =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("unitguard-units"));
    private final Map<String, CachedUnit> units = new ConcurrentHashMap<>();
    /** Units signalled since the last refresh: true when systemd unloaded the unit, false when it changed. */
    private final Map<String, Boolean> signalled = new LinkedHashMap<>();
    private volatile UnitSignals signals;
    /** When systemd signalled the start of a reload (System.nanoTime), or 0 when none is under way. */
    private volatile long reloadingSince;
    /** True from a reload's end until the re-reading it scheduled starts: one re-reading for a burst of reloads. */
    private final AtomicBoolean rereadScheduled = new AtomicBoolean();
    private volatile String unavailable = "not yet connected";
    /** Completed once the first page of units is read (or the first resync failed). */
    private final CompletableFuture<Void> firstPage = new CompletableFuture<>();
    /** How far the first full read is ({@code "400 of 2000 service units read"}); null once it is over. */
    private volatile String reading = "0 of ? service units read";
    /** Units left out of the cache, its metrics and its reads: the agent's own probe units. */
    private final Predicate<String> ignored;

    public UnitStateCache(SystemdClient client, Path root, AgentMetrics metrics, Duration resyncInterval) {
        this(client, root, metrics, resyncInterval, name -> false);
    }

    /**
     * The same, leaving out the units {@code ignored} names: the agent's own probe units, which live for the
     * probe's ~100 ms under a name made unique per probe, so that each would add series to Prometheus (a new
     * {@code unit} label value every probe) and D-Bus reads to the agent, and tell the operator nothing.
     */
    public UnitStateCache(SystemdClient client, Path root, AgentMetrics metrics, Duration resyncInterval,
                          Predicate<String> ignored) {
        this.client = client;
        this.root = root;
        this.metrics = metrics;
        this.resyncInterval = resyncInterval;
        this.ignored = ignored;
    }

    /**
     * Starts the first resync now and the periodic ones after it; returns at once with a future that completes when
     * the first page of units is read ({@link #PAGE}), or the first resync is over (systemd found unavailable).
     */
    public CompletableFuture<Void> start() {
        worker.execute(() -> {
            try {
                resyncAll();
            } finally {
                firstPage.complete(null);
            }
        });
        worker.scheduleWithFixedDelay(() -> resync(false), resyncInterval.toMillis(), resyncInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return firstPage;
    }

    /**
     * While the first full read of systemd's units is under way (systemd reachable): how far it is, for
     * {@code /health/ready}; empty once every unit was read once, or while systemd is unavailable.
     */
    public Optional<String> reading() {
        String now = reading;
        return now == null || unavailable != null ? Optional.empty()
                : Optional.of("reading: " + now + "; /v1/units and /metrics list those so far, each with its exposure"
                        + " once scored");
    }

    /** Empty while systemd is reachable, else why not. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    /** The cached service units by name, sorted. */
    public List<CachedUnit> units() {
        return units.values().stream().sorted(Comparator.comparing(u -> u.properties().name())).toList();
    }

    public Optional<CachedUnit> unit(String name) {
        return Optional.ofNullable(units.get(name));
    }

    /**
     * The model is chosen from the systemd installed under the root (its libsystemd-shared-NNN.so); the running one
     * ({@code Manager.Version}) differs after an upgrade that has not re-executed the manager: say so, naming both.
     * Does nothing when {@code running} is null; returns null, for the caller to compare once.
     */
    private String compareWithInstalled(String running) {
        if (running == null) {
            return null;
        }
        try {
            SystemdVersion live = SystemdVersion.parse(running);
            SystemdVersion installed = UnitLoader.forRoot(root).systemd().actual();
            if (!live.equals(installed)) {
                LOG.warning("the running systemd is " + live + " (Manager.Version " + running + ") but " + installed
                        + " is installed under " + root + ": scores and rules model " + installed
                        + " until systemd re-executes (systemctl daemon-reexec)");
            }
        } catch (IllegalArgumentException e) {
            LOG.warning("cannot read systemd's Manager.Version: " + e.getMessage());
        }
        return null;
    }

    private void resyncAll() {
        resync(true);
    }

    /**
     * Lists the loaded service units, drops the others and reads them all ({@code all}) or those that changed. Reading
     * all covers every unit signalled so far: their signals are forgotten first (later ones are read on their own).
     */
    private void resync(boolean all) {
        if (all) {
            synchronized (signalled) {
                signalled.clear();
            }
        }
        try {
            boolean resubscribed = ensureSubscribed();
            // compared with the installed one (which reads the unit search path) once the first page is published
            String running = null;
            if (resubscribed) {
                running = client.version();
                metrics.systemdVersion(running);
            }
            List<UnitStatus> listed = client.listUnits().stream()
                    .filter(u -> u.name().endsWith(".service") && u.loadState().equals("loaded")
                            && !ignored.test(u.name())).toList();
            units.keySet().retainAll(listed.stream().map(UnitStatus::name).collect(Collectors.toSet()));
            List<String> stale = listed.stream().filter(u -> all || resubscribed || !current(u))
                    .map(UnitStatus::name).toList();
            available();
            for (int from = 0; from < stale.size(); ) {
                int to = Math.min(stale.size(), from + (from == 0 ? FIRST_PAGE : PAGE));
                List<String> page = stale.subList(from, to);
                List<UnitReading> readings = client.loadedUnits(page);
                if (!firstPage.isDone()) {
                    // READY=1 waits for these states only; they are scored next, and listed without a score till then
                    update(readings, false);
                    progress(to, from, stale.size());
                    publish();
                    firstPage.complete(null);
                }
                running = compareWithInstalled(running);
                update(readings, true);
                progress(to, to, stale.size());
                publish();
                from = to;
            }
            compareWithInstalled(running);
            reading = null;
        } catch (SystemdException e) {
            lost(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "unit resync failed", e);
        }
        publish();
    }

    /** True when the cache has the unit, scored, with the states systemd just listed. */
    private boolean current(UnitStatus listed) {
        CachedUnit cached = units.get(listed.name());
        return cached != null && cached.scored() && cached.properties().activeState().equals(listed.activeState())
                && cached.properties().subState().equals(listed.subState());
    }

    /** While the first full read is under way: how many of {@code total} units are read and how many scored. */
    private void progress(int read, int scored, int total) {
        if (reading != null) {
            reading = read + " of " + total + " service units read, " + scored + " scored";
        }
    }

    /** Puts the units read into the cache, each with its exposure ({@code score}) or with its states alone. */
    private void update(List<UnitReading> readings, boolean score) {
        if (readings.isEmpty()) {
            return;
        }
        UnitLoader loader = score ? UnitLoader.forRoot(root) : null;
        for (UnitReading reading : readings) {
            read(reading, loader).ifPresentOrElse(u -> units.put(u.properties().name(), u),
                    () -> units.remove(reading.name()));
        }
    }

    /** Subscribes when not subscribed; true when it did (signals may have been missed: read every unit). */
    private boolean ensureSubscribed() throws SystemdException {
        UnitSignals current = signals;
        if (current != null && current.isConnected()) {
            return false;
        }
        signals = UnitSignals.open(client.address(), new SignalListener());
        return true;
    }

    /**
     * Drops the units systemd unloaded and re-reads those that changed, as signalled since the last refresh; while
     * a reload is under way or its re-reading is scheduled, later: that re-reading covers them.
     */
    private void refreshSignalled() {
        long since = reloadingSince;
        if (rereadScheduled.get() || since != 0 && System.nanoTime() - since < RELOAD_WAIT.toNanos()) {
            worker.schedule(this::refreshSignalled, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        List<String> changed = new ArrayList<>();
        int removed;
        synchronized (signalled) {
            signalled.forEach((name, gone) -> {
                if (gone) {
                    units.remove(name);
                } else {
                    changed.add(name);
                }
            });
            removed = signalled.size() - changed.size();
            signalled.clear();
        }
        if (changed.isEmpty() && removed == 0) {
            return;
        }
        try {
            update(client.loadedUnits(changed), true);
        } catch (SystemdException e) {
            lost(e.getMessage());
        }
        publish();
    }

    /** The unit {@code reading} read, scored with {@code loader} when its files changed (null: not scored yet). */
    private Optional<CachedUnit> read(UnitReading reading, UnitLoader loader) {
        if (reading instanceof UnitReading.Failed failed) {
            LOG.fine(() -> "cannot read " + failed.name() + ": " + failed.reason());
            metrics.collectionFailed(failed.name());
            return Optional.empty();
        }
        if (!(reading instanceof UnitReading.Read read)) {
            return Optional.empty();
        }
        UnitProperties properties = read.properties();
        if (!properties.loadState().equals("loaded")) {
            return Optional.empty();
        }
        CachedUnit previous = units.get(properties.name());
        String stamp = filesStamp(root, properties.fragmentPath(), properties.dropInPaths());
        if (previous != null && previous.scored() && previous.filesStamp().equals(stamp)) {
            return Optional.of(new CachedUnit(properties, previous.exposure(), stamp, true));
        }
        return Optional.of(loader == null ? new CachedUnit(properties, Optional.empty(), stamp, false)
                : new CachedUnit(properties, exposure(loader, properties), stamp, true));
    }

    /**
     * The fragment and drop-ins (paths as systemd reports them, read under {@code root}) with each file's identity,
     * modification time and size: it changes when any of them is rewritten in place, as an apply rewrites its
     * drop-in, so the exposure is computed again only then.
     */
    static String filesStamp(Path root, String fragmentPath, List<String> dropInPaths) {
        List<String> files = new ArrayList<>();
        if (!fragmentPath.isEmpty()) {
            files.add(fragmentPath);
        }
        files.addAll(dropInPaths);
        StringBuilder stamp = new StringBuilder();
        for (String file : files) {
            stamp.append(file).append(' ');
            try {
                BasicFileAttributes a = Files.readAttributes(root.resolve(file.replaceFirst("^/+", "")),
                        BasicFileAttributes.class);
                stamp.append(a.fileKey()).append(' ').append(a.lastModifiedTime()).append(' ').append(a.size());
            } catch (IOException e) {
                stamp.append("unreadable");
            }
            stamp.append('\n');
        }
        return stamp.toString();
    }

    private Optional<BigDecimal> exposure(UnitLoader loader, UnitProperties properties) {
        if (properties.fragmentPath().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SecurityAssessor.assess(loader.load(properties.name()).live()).exposure());
        } catch (Exception e) {
            LOG.fine(() -> "no exposure score for " + properties.name() + ": " + e.getMessage());
            metrics.collectionFailed(properties.name());
            return Optional.empty();
        }
    }

    private void available() {
        if (unavailable != null) {
            LOG.info("systemd reachable at " + client.address());
        }
        unavailable = null;
    }

    private void lost(String reason) {
        if (!reason.equals(unavailable)) {
            LOG.warning("systemd unavailable: " + reason);
        }
        unavailable = reason;
    }

    private void publish() {
        metrics.systemdUp(unavailable == null);
        metrics.units(units.values().stream().map(u -> new UnitSample(u.properties().name(),
                u.properties().activeState(), u.properties().subState(),
                u.properties().service().map(s -> s.nRestarts()).orElse(0L), u.exposure())).toList());
    }

    private final class SignalListener implements UnitSignals.Listener {
        @Override
        public void unitChanged(String unit) {
            signalled(unit, false);
        }

        @Override
        public void unitRemoved(String unit) {
            signalled(unit, true);
        }

        private void signalled(String unit, boolean removed) {
            if (!unit.endsWith(".service") || ignored.test(unit)) {
                return;
            }
            boolean first;
            synchronized (signalled) {
                first = signalled.isEmpty();
                signalled.remove(unit);
                signalled.put(unit, removed);
            }
            if (first) {
                worker.schedule(UnitStateCache.this::refreshSignalled, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void reloading() {
            reloadingSince = System.nanoTime() | 1;
        }

        @Override
        public void reloaded() {
            reloadingSince = 0;
            if (rereadScheduled.compareAndSet(false, true)) {
                worker.schedule(() -> {
                    rereadScheduled.set(false);
                    resyncAll();
                }, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void lost(String reason) {
            UnitStateCache.this.lost("D-Bus signal connection lost: " + reason);
            worker.schedule(UnitStateCache.this::resyncAll, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        UnitSignals current = signals;
        if (current != null) {
            current.close();
        }
    }
}
