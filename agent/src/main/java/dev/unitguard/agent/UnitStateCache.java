package dev.unitguard.agent;

import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.UnitSample;
import dev.unitguard.sandbox.SecurityAssessor;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.UnitProperties;
import dev.unitguard.systemd.UnitReading;
import dev.unitguard.systemd.UnitSignals;
import dev.unitguard.systemd.UnitStatus;
import dev.unitguard.unit.UnitLoader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The service units systemd has loaded, with their states, kept current by systemd's signals (a changed unit is
 * re-read a moment later) and a periodic resync. Readers (scrapes, the API) only read memory. All D-Bus and file
 * work runs on the cache's own thread.
 */
public final class UnitStateCache implements AutoCloseable {

    /** One service unit as last read: systemd's view and the exposure of its files. */
    /** A unit's state, its exposure, and the fingerprint of the files the exposure was computed from. */
    public record CachedUnit(UnitProperties properties, Optional<BigDecimal> exposure, String filesStamp) {
    }

    private static final Logger LOG = Logger.getLogger(UnitStateCache.class.getName());
    private static final Duration DEBOUNCE = Duration.ofMillis(200);

    private final SystemdClient client;
    private final Path root;
    private final AgentMetrics metrics;
    private final Duration resyncInterval;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "unitguard-units");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, CachedUnit> units = new ConcurrentHashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private volatile UnitSignals signals;
    private volatile String unavailable = "not yet connected";

    public UnitStateCache(SystemdClient client, Path root, AgentMetrics metrics, Duration resyncInterval) {
        this.client = client;
        this.root = root;
        this.metrics = metrics;
        this.resyncInterval = resyncInterval;
    }

    /**
     * Starts the first resync now and the periodic ones after it; returns at once with a future that completes when
     * the first resync is over (systemd reached or found unavailable).
     */
    public CompletableFuture<Void> start() {
        CompletableFuture<Void> first = CompletableFuture.runAsync(this::resync, worker);
        worker.scheduleWithFixedDelay(this::resync, resyncInterval.toMillis(), resyncInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return first;
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

    private void resync() {
        try {
            ensureSubscribed();
            metrics.systemdVersion(client.version());
            List<String> names = client.listUnits().stream().map(UnitStatus::name)
                    .filter(n -> n.endsWith(".service")).toList();
            UnitLoader loader = UnitLoader.forRoot(root);
            Map<String, CachedUnit> fresh = new ConcurrentHashMap<>();
            for (UnitReading reading : client.units(names)) {
                read(reading, loader).ifPresent(u -> fresh.put(u.properties().name(), u));
            }
            units.keySet().retainAll(fresh.keySet());
            units.putAll(fresh);
            available();
        } catch (SystemdException e) {
            lost(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "unit resync failed", e);
        }
        publish();
    }

    private void ensureSubscribed() throws SystemdException {
        UnitSignals current = signals;
        if (current == null || !current.isConnected()) {
            signals = UnitSignals.open(client.address(), new SignalListener());
        }
    }

    /** Re-reads the units whose signals arrived since the last refresh. */
    private void refreshChanged() {
        List<String> names;
        synchronized (changed) {
            names = new ArrayList<>(changed);
            changed.clear();
        }
        if (names.isEmpty()) {
            return;
        }
        try {
            UnitLoader loader = UnitLoader.forRoot(root);
            for (UnitReading reading : client.units(names)) {
                Optional<CachedUnit> read = read(reading, loader);
                read.ifPresentOrElse(u -> units.put(u.properties().name(), u), () -> units.remove(reading.name()));
            }
        } catch (SystemdException e) {
            lost(e.getMessage());
        }
        publish();
    }

    private Optional<CachedUnit> read(UnitReading reading, UnitLoader loader) {
        if (reading instanceof UnitReading.Failed failed) {
            LOG.fine(() -> "cannot read " + failed.name() + ": " + failed.reason());
            metrics.collectionFailed(failed.name());
            return Optional.empty();
        }
        UnitProperties properties = ((UnitReading.Read) reading).properties();
        if (!properties.loadState().equals("loaded")) {
            return Optional.empty();
        }
        CachedUnit previous = units.get(properties.name());
        String stamp = filesStamp(root, properties.fragmentPath(), properties.dropInPaths());
        boolean sameFiles = previous != null && previous.filesStamp().equals(stamp);
        return Optional.of(new CachedUnit(properties, sameFiles ? previous.exposure() : exposure(loader, properties),
                stamp));
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
            return Optional.of(SecurityAssessor.assess(loader.load(properties.name())).exposure());
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
            if (!unit.endsWith(".service")) {
                return;
            }
            boolean first;
            synchronized (changed) {
                first = changed.isEmpty();
                changed.add(unit);
            }
            if (first) {
                worker.schedule(UnitStateCache.this::refreshChanged, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void reloaded() {
            worker.schedule(UnitStateCache.this::resync, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void lost(String reason) {
            UnitStateCache.this.lost("D-Bus signal connection lost: " + reason);
            worker.schedule(UnitStateCache.this::resync, 1, TimeUnit.SECONDS);
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
