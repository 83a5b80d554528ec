package dev.unitguard.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The exposition that /metrics serves, one per content type (text 0.0.4 and OpenMetrics, as {@link
 * AgentMetrics#contentType} negotiates). It is rendered on {@code executor}, never on the caller's thread, and kept
 * as bytes, with a gzip-compressed copy made on {@code executor} the first time a scraper asks for gzip and kept with
 * it (Prometheus asks for gzip: a thousand scrapes of one exposition then move a tenth of the bytes; a scraper that
 * does not ask costs no compression); a scrape gets the kept one while it is younger than {@link #MAX_AGE}
 * and no meter the agent itself sets has changed since it began ({@link AgentMetrics#generation()}), else a new render
 * starts. Past half its age, the next render is begun ahead of time ({@link #refreshAhead}), so that regular scrapers
 * do not wait for renders that only age forces. Scrapes that arrive while
 * a render runs wait on that render's future: a thousand concurrent scrapes cost one render.
 *
 * <p>When a meter the agent sets changes, the exposition of each content type scraped in the last {@link #IDLE} is
 * rendered again on the executor ({@link #changed}), at once and then at most once per {@link #EAGER_INTERVAL} while
 * changes go on, so that the next scrape finds it made (a scrape that comes sooner waits on that render, or starts
 * its own, as before); the gzip copy too when the last exposition of that type was asked for in gzip.
 *
 * <p>The HTTP request histogram (every request changes it) and the JVM and process gauges (read when rendered) are
 * at most {@link #MAX_AGE} old; unit states, checks, findings, probes and applies show on the next scrape. A failed
 * render fails its waiters and is not kept.
 */
public final class ScrapeCache {

    /**
     * One second: well under any Prometheus scrape interval (15 s by default, 1 s at the very least), so two scrapers
     * or a retry see at most one second's drift of the gauges read at render time; and long enough that a burst of
     * scrapes, however large, costs one render (about 5 ms for 200 units) per second and content type.
     */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);
    /**
     * A quarter of a second between renders made because meters changed: while units start and stop without pause, at
     * most four renders a second (about 5 ms each at 200 units) for each content type scraped.
     */
    static final Duration EAGER_INTERVAL = Duration.ofMillis(250);
    /** Nobody scraped for this long: changes render nothing until the next scrape. */
    static final Duration IDLE = Duration.ofMinutes(5);

    /** Runs a task after a delay (Vert.x' timer in the agent); it must not block. */
    @FunctionalInterface
    public interface Later {
        void after(long millis, Runnable task);
    }

    private final Function<String, AgentMetrics.Rendered> render;
    private final LongSupplier generation;
    private final Executor executor;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    // at most two keys: contentType() answers one of two constants
    private final Map<String, AtomicReference<Render>> byType = new ConcurrentHashMap<>();
    /** Where renders for changes are scheduled; null: only scrapes render. */
    private final Later later;
    /** Whether a render for changes is scheduled (one at a time: it renders every change made before it runs). */
    private final AtomicBoolean eager = new AtomicBoolean();
    private volatile long lastScrapeNanos;
    private volatile long lastEagerNanos;

    /** Renders {@code metrics} on {@code executor} at most once per {@link #MAX_AGE} and change. */
    public ScrapeCache(AgentMetrics metrics, Executor executor) {
        this(metrics::generation, metrics::renderParts, executor, MAX_AGE, System::nanoTime, null);
    }

    /** The same, rendered again as meters change ({@link #changed}), scheduled with {@code later}. */
    public ScrapeCache(AgentMetrics metrics, Executor executor, Later later) {
        this(metrics::generation, metrics::renderParts, executor, MAX_AGE, System::nanoTime, later);
        metrics.onChange(this::changed);
    }

    /** Renders the whole body with {@code render}, in one part. */
    ScrapeCache(Function<String, byte[]> render, LongSupplier generation, Executor executor, Duration maxAge,
                LongSupplier nanoTime) {
        this(render, generation, executor, maxAge, nanoTime, null);
    }

    /** The same, rendered again on {@link #changed} through {@code later}. */
    ScrapeCache(Function<String, byte[]> render, LongSupplier generation, Executor executor, Duration maxAge,
                LongSupplier nanoTime, Later later) {
        this(generation, type -> new AgentMetrics.Rendered(new byte[0], render.apply(type)), executor, maxAge,
                nanoTime, later);
    }

    private ScrapeCache(LongSupplier generation, Function<String, AgentMetrics.Rendered> render, Executor executor,
                        Duration maxAge, LongSupplier nanoTime, Later later) {
        this.later = later;
        this.lastEagerNanos = nanoTime.getAsLong() - EAGER_INTERVAL.toNanos(); // none yet: the first is at once
        this.render = render;
        this.generation = generation;
        this.executor = executor;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The exposition in the format {@code accept} asks for, with its gzip copy made when {@code gzip} (on the
     * executor, once per exposition, shared by every scrape that asks); completes on the executor or at once when kept.
     */
    public CompletableFuture<Exposition> scrape(String accept, boolean gzip) {
        CompletableFuture<Exposition> text = scrape(accept);
        return gzip ? text.thenCompose(e -> e.gzip(executor).thenApply(bytes -> e)) : text;
    }

    /** The exposition in the format {@code accept} asks for; completes on the executor or at once when kept. */
    public CompletableFuture<Exposition> scrape(String accept) {
        String contentType = AgentMetrics.contentType(accept);
        AtomicReference<Render> slot = byType.computeIfAbsent(contentType, t -> new AtomicReference<>());
        lastScrapeNanos = nanoTime.getAsLong();
        while (true) {
            Render kept = slot.get();
            // the generation is read before a render is started, so that render sees every change up to it
            long now = nanoTime.getAsLong();
            long gen = generation.getAsLong();
            if (kept != null && kept.usable(gen, now, maxAgeNanos)) {
                if (kept.result().isDone() && now - kept.startedNanos() >= maxAgeNanos / 2) {
                    refreshAhead(slot, kept, gen, now, contentType);
                }
                return kept.result();
            }
            // too old: the refresh begun ahead of time, for the same meters, serves rather than a third render
            Render ahead = kept == null ? null : kept.ahead().get();
            boolean reuse = ahead != null && ahead.generation() == gen && !ahead.result().isCompletedExceptionally();
            Render next = reuse ? ahead : new Render(gen, now);
            if (slot.compareAndSet(kept, next)) {
                if (!reuse) {
                    start(next, contentType);
                }
                return next.result();
            }
        }
    }

    /**
     * Once the kept exposition is half its {@link #MAX_AGE} old, the first scrape that sees it starts the next render
     * on the executor and is still answered with the kept one; the new render replaces it when done. Scrapers that
     * come more often than {@link #MAX_AGE} then never wait for a render (nor does anyone pay for one when nobody
     * scrapes: no timer), and none gets bytes older than {@link #MAX_AGE}.
     */
    private void refreshAhead(AtomicReference<Render> slot, Render kept, long gen, long now, String contentType) {
        Render fresh = new Render(gen, now);
        if (kept.ahead().compareAndSet(null, fresh)) {
            fresh.result().thenRun(() -> slot.compareAndSet(kept, fresh));
            start(fresh, contentType);
        }
    }

    /**
     * A meter the agent sets changed ({@link AgentMetrics#onChange}): unless nobody scraped in the last {@link #IDLE},
     * schedules a render of each content type scraped, at once or {@link #EAGER_INTERVAL} after the last such render,
     * if none is scheduled yet. Cheap, never blocks: called by whoever changes a meter.
     */
    void changed() {
        long now = nanoTime.getAsLong();
        if (later == null || byType.isEmpty() || now - lastScrapeNanos > IDLE.toNanos()
                || !eager.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastEagerNanos + EAGER_INTERVAL.toNanos() - now);
        try {
            later.after(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), this::renderChanged);
        } catch (RuntimeException e) {
            eager.set(false); // closing: the next scrape renders
        }
    }

    /** Renders, for the current generation, each content type whose kept exposition is older and not being made. */
    private void renderChanged() {
        eager.set(false); // a change from now on schedules the next
        long now = nanoTime.getAsLong();
        lastEagerNanos = now;
        long gen = generation.getAsLong();
        boolean busy = false;
        for (Map.Entry<String, AtomicReference<Render>> type : byType.entrySet()) {
            AtomicReference<Render> slot = type.getValue();
            Render kept = slot.get();
            if (kept == null || kept.generation() == gen) {
                continue;
            }
            if (!kept.result().isDone()) {
                busy = true; // an older render still running: try again after it
                continue;
            }
            Render next = new Render(gen, now);
            if (slot.compareAndSet(kept, next)) {
                boolean zipped = !kept.result().isCompletedExceptionally() && kept.result().join().gzipAsked();
                start(next, type.getKey());
                if (zipped) {
                    next.result().thenAccept(e -> e.gzip(executor));
                }
            }
        }
        if (busy) {
            changed();
        }
    }

    private void start(Render next, String contentType) {
        completeOn(executor, next.result(), () -> {
            AgentMetrics.Rendered body = render.apply(contentType);
            return new Exposition(contentType, body.units(), body.rest());
        });
    }

    /**
     * Completes {@code result} with {@code work} run on {@code executor}; exceptionally when the work fails or the
     * executor refuses it (closing).
     */
    private static <T> void completeOn(Executor executor, CompletableFuture<T> result, Supplier<T> work) {
        try {
            executor.execute(() -> {
                try {
                    result.complete(work.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /**
     * A rendered exposition: its Content-Type and its body in two parts ({@code head} then {@code tail}: the head is
     * the same array across renders while the per-unit families have not changed, see {@link
     * AgentMetrics#renderParts}), and, once asked for ({@link #gzip}), the whole body gzip-compressed. All are shared
     * by every scrape: never modify them.
     */
    public static final class Exposition {
        private final String contentType;
        private final byte[] head;
        private final byte[] tail;
        private final AtomicReference<CompletableFuture<byte[]>> gzipped = new AtomicReference<>();

        public Exposition(String contentType, byte[] head, byte[] tail) {
            this.contentType = contentType;
            this.head = head;
            this.tail = tail;
        }

        public String contentType() {
            return contentType;
        }

        public byte[] head() {
            return head;
        }

        public byte[] tail() {
            return tail;
        }

        /** The body's length in bytes. */
        public int length() {
            return head.length + tail.length;
        }

        /** The body in one array (a copy: for callers off the scrape path). */
        public byte[] body() {
            byte[] body = java.util.Arrays.copyOf(head, length());
            System.arraycopy(tail, 0, body, head.length, tail.length);
            return body;
        }

        /**
         * The body gzip-compressed, made on {@code executor} by the first caller and shared by all after (a failed
         * compression fails its callers and is tried again by the next).
         */
        public CompletableFuture<byte[]> gzip(Executor executor) {
            while (true) {
                CompletableFuture<byte[]> known = gzipped.get();
                if (known != null && !known.isCompletedExceptionally()) {
                    return known;
                }
                CompletableFuture<byte[]> mine = new CompletableFuture<>();
                if (gzipped.compareAndSet(known, mine)) {
                    completeOn(executor, mine, () -> ScrapeCache.gzip(head, tail));
                    return mine;
                }
            }
        }

        /** Whether a gzip copy was asked for. */
        boolean gzipAsked() {
            return gzipped.get() != null;
        }

        /** The gzip copy, compressed on the caller's thread if not yet made (for callers off the scrape path). */
        public byte[] gzipped() {
            return gzip(Runnable::run).join();
        }
    }

    /**
     * Whether an {@code Accept-Encoding} header value accepts gzip (RFC 9110 12.5.3): {@code gzip}, {@code x-gzip}
     * or {@code *} listed with a weight other than zero, and not refused by an explicit {@code gzip;q=0}.
     */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean gzip = null;
        boolean any = false;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean accepted = weight(parts) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = gzip == null ? accepted : gzip || accepted;
            } else if (coding.equals("*")) {
                any |= accepted;
            }
        }
        return gzip != null ? gzip : any;
    }

    /** The {@code q} of a coding's parameters, 1 when none; 0 when malformed (a coding we cannot read we skip). */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /**
     * gzip at {@link Deflater#BEST_SPEED}: on the 132 KB exposition of 201 units, level 1 takes half the time of the
     * default level 6 (0.30 against 0.61 ms) for an output a sixth larger (8.5 against 7.3 KB); it runs up to twice a
     * second while scraped, on a worker that the agent's checks share.
     */
    static byte[] gzip(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length / 8 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            for (byte[] part : parts) {
                gz.write(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * One render, begun at {@code startedNanos} for the meters as of {@code generation}; {@code ahead} holds the render
     * begun ahead of time to replace it ({@link #refreshAhead}), if any.
     */
    private record Render(long generation, long startedNanos, CompletableFuture<Exposition> result,
                          AtomicReference<Render> ahead) {

        Render(long generation, long startedNanos) {
            this(generation, startedNanos, new CompletableFuture<>(), new AtomicReference<>());
        }

        /** In flight for the same generation, or done well, for the same generation, and young enough. */
        boolean usable(long currentGeneration, long now, long maxAgeNanos) {
            if (generation != currentGeneration) {
                return false;
            }
            if (!result.isDone()) {
                return true;
            }
            return !result.isCompletedExceptionally() && now - startedNanos < maxAgeNanos;
        }
    }
}
