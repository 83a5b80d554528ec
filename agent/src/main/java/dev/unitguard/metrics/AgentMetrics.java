package dev.unitguard.metrics;

import dev.unitguard.apply.ApplyMetrics;
import dev.unitguard.perms.Finding;
import dev.unitguard.perms.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's meters (names in docs/metrics.md) in a Prometheus registry. Per-unit gauges are replaced as a whole
 * from the unit-state cache; a scrape only reads memory. Thread-safe.
 */
public final class AgentMetrics implements AutoCloseable {

    /** The active states systemd 252 knows; each unit has one series per state, 1 for the current one. */
    public static final List<String> ACTIVE_STATES =
            List.of("active", "reloading", "inactive", "failed", "activating", "deactivating", "maintenance");

    /** The HTTP request histogram's bucket bounds: see {@link #request}. */
    private static final Duration[] REQUEST_BUCKETS = java.util.stream.LongStream.of(
                    1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * The per-unit families ({@code unitguard_unit_*}) that change rarely (checks' failed requirements, findings,
     * collection errors), in a registry of their own: every one of them changes only with the {@link #generation()},
     * so {@link #render} renders them again only when it has moved. The three that grow with the units (state,
     * restarts, exposure: nine in ten of the series at 200 units) are written from {@link #lastUnits} by {@link
     * UnitSeries}, after these.
     */
    private final PrometheusMeterRegistry unitRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge unitFailedRequirements;
    private final Map<String, Integer> failedRequirements = new ConcurrentHashMap<>();
    private final MultiGauge unitFindings;
    private final Map<String, Map<Severity, Long>> findings = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final ApplyMeters applyMeters;
    private final AtomicInteger systemdUp = new AtomicInteger();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final BuildInfo build = BuildInfo.current();
    private final MultiGauge buildInfo;
    private volatile String systemdVersion = "";
    /** What {@link #units} last published. */
    private volatile List<UnitSample> lastUnits = List.of();
    /** The request timers by method, route and status: built and looked up once, not per request. */
    private final Map<List<String>, Timer> requestTimers = new ConcurrentHashMap<>();
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.UTF_8);
    /** The per-unit families as last rendered, by content type (at most two). */
    private final Map<String, UnitFamilies> unitFamilies = new ConcurrentHashMap<>();
    /** The size of the rest as last rendered: the next one's buffer starts there, not small and doubling. */
    private volatile int lastRestBytes = 16 * 1024;
    /** Bumped by every change the agent makes to its own meters (not by requests): see {@link #generation()}. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Runnable onChange = () -> { };

    public AgentMetrics() {
        // the meter filters first: Micrometer warns, at every start, of a filter configured after a meter
        JvmMeterNames.apply(registry);
        unitFailedRequirements = multiGauge("unitguard.unit.check.failed.requirements",
                "Requirements the last check of the unit through the API found denied");
        unitFindings = multiGauge("unitguard.unit.findings",
                "Permission findings of the unit by severity, from its last permissions call or check");
        buildInfo = multiGauge("unitguard.build.info",
                "Always 1: the agent's version and git revision, and the version of systemd it talks to");
        systemdVersion("unknown");
        applyMeters = new ApplyMeters(registry, this::changed);
        Gauge.builder("unitguard.systemd.up", systemdUp, AtomicInteger::get)
                .description("1 while systemd's D-Bus API is reachable and its signals are subscribed")
                .register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private MultiGauge multiGauge(String name, String description) {
        return MultiGauge.builder(name).description(description)
                .register(name.startsWith("unitguard.unit.") ? unitRegistry : registry);
    }

    /**
     * Replaces every per-unit series with those of {@code units}. The same samples as last time (a periodic resync
     * that found nothing new) change nothing, so the kept exposition stays valid ({@link ScrapeCache}).
     */
    public synchronized void units(Collection<UnitSample> units) {
        List<UnitSample> samples = List.copyOf(units);
        if (samples.equals(lastUnits)) {
            return;
        }
        lastUnits = samples; // written out by UnitSeries at the next render, not kept as meters
        changed();
    }

    /** systemd's version as its manager reports it ("unknown" until read); relabels unitguard_build_info. */
    public void systemdVersion(String version) {
        if (version.equals(systemdVersion)) {
            return;
        }
        systemdVersion = version;
        buildInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", build.version(), "revision", build.revision(),
                "systemd_version", version), 1)), true);
        changed();
    }

    public void systemdUp(boolean up) {
        if (systemdUp.getAndSet(up ? 1 : 0) != (up ? 1 : 0)) {
            changed();
        }
    }

    /** A static check finished: {@code result} ok, fail or error; {@code failed} denied requirements. */
    public void checkFinished(String unit, String result, int failed, Duration took) {
        Counter.builder("unitguard.checks").description("Checks answered, by result (ok, fail, error)")
                .tag("result", result).register(registry).increment();
        Timer.builder("unitguard.check.duration").description("Time to answer a check")
                .register(registry).record(took);
        if (!result.equals("error")) {
            failedRequirements.put(unit, failed);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            failedRequirements.forEach((name, count) -> rows.add(MultiGauge.Row.of(Tags.of("unit", name), count)));
            unitFailedRequirements.register(rows, true);
        }
        changed();
    }

    /** The apply engine's meters, in this registry. */
    public ApplyMetrics applyMetrics() {
        return applyMeters;
    }

    /** Replaces the unit's findings series (one per severity, 0 included) with the counts of {@code found}. */
    public void findings(String unit, List<Finding> found) {
        Map<Severity, Long> counts = new java.util.EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, found.stream().filter(f -> f.severity() == s).count());
        }
        findings.put(unit, counts);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        findings.forEach((name, bySeverity) -> bySeverity.forEach((severity, n) -> rows.add(
                MultiGauge.Row.of(Tags.of("unit", name, "severity", severity.toString()), n))));
        unitFindings.register(rows, true);
        changed();
    }

    /** A probe was asked for: {@code result} ok, fail, error or unavailable. */
    public void probe(String result) {
        Counter.builder("unitguard.probes").description("Dynamic probes asked for, by result")
                .tag("result", result).register(registry).increment();
        changed();
    }

    /**
     * One API request answered, by method, route template and status: the histogram
     * {@code unitguard_http_request_duration_seconds} (Prometheus' own naming example, base unit seconds), with fixed
     * buckets from a millisecond (a cached answer) to 60 s (an apply that waits for a restart and its health check):
     * a few buckets per series keep the scrape small, and quantiles aggregate across hosts, which a summary's do not.
     */
    public void request(String method, String route, int status, Duration took) {
        // bounded: the methods HTTP defines (others are refused first), route templates, status codes
        requestTimers.computeIfAbsent(List.of(method, route, Integer.toString(status)), key ->
                Timer.builder("unitguard.http.request.duration").description("HTTP requests answered by the agent")
                        .tags("method", key.get(0), "route", key.get(1), "status", key.get(2))
                        .serviceLevelObjectives(REQUEST_BUCKETS)
                        .register(registry)).record(took);
    }


    /** Reading one unit failed during a collection; the rest of the collection went on. */
    public void collectionFailed(String unit) {
        Counter.builder("unitguard.unit.collection.errors")
                .description("Units whose state or files could not be read during a collection")
                .tag("unit", unit).register(unitRegistry).increment();
        changed();
    }

    private void changed() {
        generation.incrementAndGet();
        onChange.run();
    }

    /**
     * {@code listener} runs after each change that moves the {@link #generation()}, on the thread that made it (the
     * one listener: a later call replaces it); it must be quick and must not block.
     */
    public void onChange(Runnable listener) {
        onChange = java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Grows with every change the agent makes to its own meters (units, systemd, checks, findings, probes, applies);
     * not with requests, whose histogram changes on every one, nor with the JVM gauges, read when rendered.
     */
    long generation() {
        return generation.get();
    }

    /**
     * The exposition in {@code contentType} (one {@link #contentType} answers), UTF-8 bytes: the per-unit families
     * ({@code unitguard_unit_*}, nine in ten of the series at 200 units: {@link #unitRegistry}, then {@link
     * UnitSeries}) as rendered for the current {@link #generation()}, kept as bytes until it moves, then the rest (JVM
     * and process gauges, the request histogram, counters), rendered every time. A render of everything allocated about
     * 3 MB at 200 units (the registry's snapshot of every series; a scrape filtered by name still collects every
     * meter), more than the shipped 2 MB young generation holds: renders, twice a second while scraped, pushed their
     * half-built snapshots into the old generation and made a full collection (40-90 ms on a loaded machine) every
     * second or two, the scrapes' tail (bench/lab.sh, 2026-11-30). Families are independent in both formats; an
     * OpenMetrics exposition ends with one {@code # EOF}, the rest's.
     */
    byte[] render(String contentType) {
        Rendered parts = renderParts(contentType);
        byte[] body = java.util.Arrays.copyOf(parts.units(), parts.units().length + parts.rest().length);
        System.arraycopy(parts.rest(), 0, body, parts.units().length, parts.rest().length);
        return body;
    }

    /**
     * {@link #render} in its two parts, not joined: the per-unit families' bytes are the same array from one render
     * to the next until the generation moves, so a scrape can send them from a buffer kept that long, and nothing of
     * 130 KB is made per render (made twice a second and kept one, such a copy outlived a young collection and was
     * promoted, a full collection every ten young ones).
     */
    Rendered renderParts(String contentType) {
        long gen = generation.get(); // before the render, so that a change during it renders the units again
        UnitFamilies units = unitFamilies.get(contentType);
        if (units == null || units.generation() != gen) {
            byte[] bytes = render(unitRegistry, contentType, 4 * 1024);
            int end = bytes.length;
            if (end >= EOF.length && java.util.Arrays.equals(bytes, end - EOF.length, end, EOF, 0, EOF.length)) {
                end -= EOF.length;
            }
            byte[] series = UnitSeries.render(lastUnits, contentType.contains("openmetrics"));
            byte[] all = java.util.Arrays.copyOf(bytes, end + series.length);
            System.arraycopy(series, 0, all, end, series.length);
            units = new UnitFamilies(gen, all);
            unitFamilies.put(contentType, units);
        }
        byte[] rest = render(registry, contentType, lastRestBytes + lastRestBytes / 8);
        lastRestBytes = rest.length;
        return new Rendered(units.bytes(), rest);
    }

    /** An exposition in two parts, sent in this order: the per-unit families, then the rest. Never modify them. */
    record Rendered(byte[] units, byte[] rest) {
    }

    private static byte[] render(PrometheusMeterRegistry from, String contentType, int sizeHint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try {
            from.scrape(out, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The per-unit families as last rendered in one content type, for the meters as of {@code generation}. */
    private record UnitFamilies(long generation, byte[] bytes) {
    }

    /** The exposition in the format {@code accept} asks for (OpenMetrics or text 0.0.4). */
    public Scrape scrape(String accept) {
        String contentType = contentType(accept);
        return new Scrape(contentType, new String(render(contentType), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The OpenMetrics content type when the Accept header asks for it, else the text format 0.0.4. */
    static String contentType(String accept) {
        if (accept != null && accept.contains("application/openmetrics-text")) {
            return "application/openmetrics-text; version=1.0.0; charset=utf-8";
        }
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /** A scrape's body and its Content-Type. */
    public record Scrape(String contentType, String body) {
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
        unitRegistry.close();
    }
}
