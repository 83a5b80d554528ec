package dev.unitguard.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ScrapeCacheTest {

    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** Runs the renders only when the test says so. */
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger renders = new AtomicInteger();

    private ScrapeCache cache(Function<String, byte[]> render) {
        return new ScrapeCache(type -> {
            renders.incrementAndGet();
            return render.apply(type);
        }, generation::get, pending::add, Duration.ofSeconds(1), nanos::get);
    }

    private void runPending() {
        while (!pending.isEmpty()) {
            pending.poll().run();
        }
    }

    private static String body(CompletableFuture<ScrapeCache.Exposition> scrape) throws Exception {
        return new String(scrape.get(10, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8);
    }

    @Test
    void scrape_whileRendering_allWaitOnOneRender() throws Exception {
        ScrapeCache cache = cache(type -> "x 1\n".getBytes(StandardCharsets.UTF_8));

        List<CompletableFuture<ScrapeCache.Exposition>> scrapes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            scrapes.add(cache.scrape(null));
        }

        assertEquals(1, pending.size());
        assertFalse(scrapes.get(0).isDone(), "rendered on the caller's thread");
        runPending();
        assertEquals(1, renders.get());
        for (CompletableFuture<ScrapeCache.Exposition> scrape : scrapes) {
            assertSame(scrapes.get(0).get(), scrape.get());
        }
        assertEquals(TEXT, scrapes.get(0).get().contentType());
    }

    @Test
    void scrape_realThreads_oneRenderForAllAndContentParses() throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        metrics.units(List.of(new UnitSample("app.service", "failed", "failed", 3, Optional.empty())));
        ExecutorService worker = Executors.newSingleThreadExecutor();
        ExecutorService scrapers = Executors.newFixedThreadPool(8);
        try (metrics) {
            ScrapeCache cache = new ScrapeCache(type -> {
                renders.incrementAndGet();
                return metrics.render(type);
            }, metrics::generation, worker, Duration.ofHours(1), System::nanoTime);
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<String>> bodies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                bodies.add(scrapers.submit(() -> {
                    go.await();
                    return body(cache.scrape("text/plain"));
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<String> b : bodies) {
                assertEquals(bodies.get(0).get(), b.get());
            }

            assertEquals(1, renders.get());
            assertEquals(3.0, PrometheusTextParser.parse(bodies.get(0).get()).stream()
                    .filter(s -> s.name().equals("unitguard_unit_restarts")).findFirst().orElseThrow().value());
        } finally {
            scrapers.shutdownNow();
            worker.shutdownNow();
        }
    }

    @Test
    void scrape_youngerThanMaxAge_keptThenRenderedAgain() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ScrapeCache cache = cache(type -> ("x " + n.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8));
        CompletableFuture<ScrapeCache.Exposition> first = cache.scrape(null);
        runPending();

        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        CompletableFuture<ScrapeCache.Exposition> kept = cache.scrape(null);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        CompletableFuture<ScrapeCache.Exposition> again = cache.scrape(null);
        runPending();

        assertSame(first, kept);
        assertEquals("x 1\n", body(kept));
        assertEquals("x 2\n", body(again));
        assertEquals(2, renders.get());
    }

    @Test
    void scrape_pastHalfItsAge_keptServedWhileTheNextRendersAhead() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ScrapeCache cache = cache(type -> ("x " + n.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8));
        CompletableFuture<ScrapeCache.Exposition> first = cache.scrape(null);
        runPending();

        nanos.addAndGet(Duration.ofMillis(499).toNanos());
        assertSame(first, cache.scrape(null));
        assertTrue(pending.isEmpty(), "a render begun before half the age");
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        CompletableFuture<ScrapeCache.Exposition> half = cache.scrape(null);
        CompletableFuture<ScrapeCache.Exposition> again = cache.scrape(null);

        assertSame(first, half, "the scrape that begins the next render is answered with the kept one");
        assertSame(first, again);
        assertEquals(1, pending.size(), "one render ahead, whatever the number of scrapes");
        runPending();
        CompletableFuture<ScrapeCache.Exposition> next = cache.scrape(null);
        assertTrue(next.isDone(), "the render ahead replaced the kept one: nobody waits");
        assertEquals("x 2\n", body(next));
        assertEquals(2, renders.get());
    }

    @Test
    void scrape_renderAheadFailed_keptUntilMaxAgeThenANewRender() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ScrapeCache cache = cache(type -> {
            if (n.incrementAndGet() == 2) {
                throw new IllegalStateException("render failed");
            }
            return ("x " + n.get() + "\n").getBytes(StandardCharsets.UTF_8);
        });
        CompletableFuture<ScrapeCache.Exposition> first = cache.scrape(null);
        runPending();
        nanos.addAndGet(Duration.ofMillis(600).toNanos());
        assertSame(first, cache.scrape(null));
        runPending();

        assertSame(first, cache.scrape(null), "a failed render ahead does not replace the kept one");
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        CompletableFuture<ScrapeCache.Exposition> later = cache.scrape(null);
        runPending();
        assertEquals("x 3\n", body(later));
    }

    @Test
    void scrape_metersChanged_renderedAgainWithTheChange() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics()) {
            ScrapeCache cache = new ScrapeCache(metrics, Runnable::run);
            String before = body(cache.scrape(null));
            assertSame(cache.scrape(null), cache.scrape(null), "unchanged meters: kept");

            metrics.units(List.of(new UnitSample("new.service", "active", "running", 0, Optional.empty())));
            String after = body(cache.scrape(null));
            metrics.checkFinished("new.service", "fail", 2, Duration.ofMillis(1));
            String checked = body(cache.scrape(null));

            assertFalse(before.contains("new.service"), before);
            assertTrue(after.contains("unitguard_unit_state{state=\"active\",unit=\"new.service\"} 1.0"), after);
            assertTrue(checked.contains("unitguard_unit_check_failed_requirements{unit=\"new.service\"} 2.0"),
                    checked);
        }
    }

    @Test
    void scrape_requestsOnly_kept() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics()) {
            ScrapeCache cache = new ScrapeCache(metrics, Runnable::run);
            CompletableFuture<ScrapeCache.Exposition> first = cache.scrape(null);

            metrics.request("GET", "/metrics", 200, Duration.ofMillis(1));

            assertSame(first, cache.scrape(null));
        }
    }

    @Test
    void scrape_eachContentType_itsOwnRender() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics()) {
            ScrapeCache cache = new ScrapeCache(metrics, Runnable::run);

            ScrapeCache.Exposition text = cache.scrape("text/plain").get();
            ScrapeCache.Exposition open = cache.scrape("application/openmetrics-text; version=1.0.0").get();

            assertEquals(TEXT, text.contentType());
            assertEquals(OPEN_METRICS, open.contentType());
            assertTrue(new String(open.body(), StandardCharsets.UTF_8).endsWith("# EOF\n"));
            assertFalse(new String(text.body(), StandardCharsets.UTF_8).contains("# EOF"));
            assertNotSame(text, open);
            assertSame(text, cache.scrape(null).get());
        }
    }

    @Test
    void scrape_renderFailed_failsItsWaitersAndIsNotKept() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ScrapeCache cache = cache(type -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("registry closed");
            }
            return "x 1\n".getBytes(StandardCharsets.UTF_8);
        });
        CompletableFuture<ScrapeCache.Exposition> failed = cache.scrape(null);
        CompletableFuture<ScrapeCache.Exposition> waiter = cache.scrape(null);
        runPending();

        ExecutionException e = assertThrows(ExecutionException.class, waiter::get);
        assertEquals("registry closed", e.getCause().getMessage());
        assertSame(failed, waiter);
        CompletableFuture<ScrapeCache.Exposition> next = cache.scrape(null);
        runPending();
        assertArrayEquals("x 1\n".getBytes(StandardCharsets.UTF_8), next.get().body());
    }

    @Test
    void changed_rendersAheadOfTheNextScrape_onceForABurst_thenAtMostEveryInterval() throws Exception {
        AtomicInteger n = new AtomicInteger();
        List<Long> delays = new ArrayList<>();
        Queue<Runnable> timers = new ArrayDeque<>();
        ScrapeCache cache = new ScrapeCache(type -> {
            renders.incrementAndGet();
            return ("x " + n.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8);
        }, generation::get, pending::add, Duration.ofSeconds(1), nanos::get, (millis, task) -> {
            delays.add(millis);
            timers.add(task);
        });
        cache.changed();
        assertTrue(timers.isEmpty(), "never scraped: nothing rendered for a change");
        assertEquals("x 1\n", scrapeNow(cache));

        generation.incrementAndGet();
        cache.changed();
        cache.changed(); // a burst: one render scheduled
        assertEquals(List.of(1L), delays, "the first change after a quiet time: at once");
        timers.poll().run();
        runPending();
        assertEquals(2, renders.get());
        CompletableFuture<ScrapeCache.Exposition> next = cache.scrape(null);
        assertTrue(next.isDone(), "the scrape after the change waited for a render");
        assertEquals("x 2\n", body(next));

        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        generation.incrementAndGet();
        cache.changed();
        assertEquals(150L, delays.get(1), "within the interval of the last: at its end");
        nanos.addAndGet(Duration.ofMillis(150).toNanos());
        timers.poll().run();
        runPending();
        assertEquals("x 3\n", body(cache.scrape(null)));
        assertEquals(3, renders.get());

        nanos.addAndGet(ScrapeCache.IDLE.toNanos() + 1);
        generation.incrementAndGet();
        cache.changed();
        assertTrue(timers.isEmpty(), "nobody scraped for a while: nothing rendered for a change");
    }

    @Test
    void changed_lastAskedInGzip_compressedAhead() throws Exception {
        Queue<Runnable> timers = new ArrayDeque<>();
        ScrapeCache cache = new ScrapeCache(type -> "x 1\n".getBytes(StandardCharsets.UTF_8), generation::get,
                pending::add, Duration.ofSeconds(1), nanos::get, (millis, task) -> timers.add(task));
        CompletableFuture<ScrapeCache.Exposition> first = cache.scrape(null, true);
        runPending();
        assertTrue(first.isDone());

        generation.incrementAndGet();
        cache.changed();
        timers.poll().run();
        runPending();

        CompletableFuture<ScrapeCache.Exposition> next = cache.scrape(null, true);
        assertTrue(next.isDone(), "the gzip copy was not made ahead");
        assertNotSame(first.get(), next.get());
        assertTrue(pending.isEmpty());
    }

    private String scrapeNow(ScrapeCache cache) throws Exception {
        CompletableFuture<ScrapeCache.Exposition> f = cache.scrape(null);
        runPending();
        return body(f);
    }

    @Test
    void scrape_textOnly_compressesNothing_gzipScrapesShareOneCompression() throws Exception {
        ScrapeCache cache = cache(type -> "x 1\n".repeat(1000).getBytes(StandardCharsets.UTF_8));

        CompletableFuture<ScrapeCache.Exposition> text = cache.scrape(null, false);
        runPending();
        assertTrue(text.isDone());
        assertTrue(pending.isEmpty(), "a scrape without gzip started a compression");

        List<CompletableFuture<ScrapeCache.Exposition>> zipped = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            zipped.add(cache.scrape(null, true));
        }
        assertEquals(1, pending.size(), "one compression for every gzip scrape of one render");
        assertFalse(zipped.get(0).isDone(), "compressed on the caller's thread");
        runPending();
        byte[] first = zipped.get(0).get().gzip(Runnable::run).get();
        for (CompletableFuture<ScrapeCache.Exposition> z : zipped) {
            assertSame(text.get(), z.get());
            assertSame(first, z.get().gzip(Runnable::run).get());
        }
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(first))) {
            assertArrayEquals(text.get().body(), in.readAllBytes());
        }
        assertEquals(1, renders.get());
    }

    @Test
    void scrape_failedCompression_failsItsScrapes_nextTriesAgain() throws Exception {
        ScrapeCache.Exposition e = new ScrapeCache.Exposition("text/plain", new byte[0], "x 1\n".getBytes(
                StandardCharsets.UTF_8));

        CompletableFuture<byte[]> refused = e.gzip(task -> {
            throw new java.util.concurrent.RejectedExecutionException("closing");
        });

        assertTrue(refused.isCompletedExceptionally());
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(
                e.gzip(Runnable::run).get()))) {
            assertArrayEquals(e.body(), in.readAllBytes());
        }
    }

    @Test
    void scrape_gzippedCopy_inflatesToTheBodyOfTheSameRender() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.units(List.of(new UnitSample("app.service", "failed", "failed", 3, Optional.empty())));
            ScrapeCache.Exposition e = new ScrapeCache(metrics, Runnable::run).scrape(null).get();

            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(e.gzipped()))) {
                assertArrayEquals(e.body(), in.readAllBytes());
            }
            assertTrue(e.gzipped().length < e.body().length, e.gzipped().length + " >= " + e.body().length);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL | false", "'' | false", "gzip | true", "GZIP | true", "x-gzip | true", "deflate, gzip | true",
            "gzip;q=0.5 | true", "gzip; q=1.0 | true", "gzip;q=0 | false", "gzip;q=0.0, identity | false",
            "identity | false", "deflate, br | false", "* | true", "*;q=0 | false", "gzip;q=0, * | false",
            "*, gzip;q=0 | false", "gzip;q=abc | false", "snappy,gzip | true"})
    void acceptsGzip_acceptEncodingValues(String header, boolean expected) {
        assertEquals(expected, ScrapeCache.acceptsGzip(header), String.valueOf(header));
    }
}
