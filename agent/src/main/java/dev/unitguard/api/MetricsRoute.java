package dev.unitguard.api;

import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.ScrapeCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * GET /metrics on both listeners: the exposition {@code Accept} asks for, from one {@link ScrapeCache} rendered on a
 * worker thread, so that a scrape costs the event loop a header and a write of kept bytes, whatever the number of
 * units and of concurrent scrapers. A scraper that accepts gzip ({@code Accept-Encoding: gzip}, as Prometheus sends)
 * gets the compressed copy kept with the text ({@code Content-Encoding: gzip}, made on a worker for the first such
 * scraper of each render); any other gets the text. Both carry {@code Vary: Accept-Encoding} for caches in between.
 *
 * <p>The kept bytes become Vert.x buffers once per render ({@link Sendable}), not once per scrape ({@code
 * Buffer.buffer(byte[])} copies: a copy of the 130 KB text per scrape was most of what a scrape allocated), and the
 * head (the per-unit families) once per change of them: a copy made per render lived about a second, outlived a young
 * collection of the shipped 2 MB young generation and was promoted, and such promotions made a full collection
 * (40-90 ms on a loaded machine) every ten young ones, the scrapes' tail. {@code write}/{@code end(Buffer)} send a
 * slice of a kept heap buffer, which Vert.x never releases, so one buffer serves every scrape.
 */
public final class MetricsRoute implements Handler<RoutingContext> {

    private final ScrapeCache scrapes;
    /** The buffers of the last exposition sent, by content type (at most two). */
    private final Map<String, Sendable> sendable = new ConcurrentHashMap<>();

    public MetricsRoute(Vertx vertx, AgentMetrics metrics) {
        this.scrapes = new ScrapeCache(metrics, task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false), (millis, task) -> vertx.setTimer(millis, id -> task.run()));
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean gzip = ScrapeCache.acceptsGzip(ctx.request().getHeader("Accept-Encoding"));
        Future.fromCompletionStage(scrapes.scrape(ctx.request().getHeader("Accept"), gzip),
                        ctx.vertx().getOrCreateContext())
                .onSuccess(e -> send(ctx, e, gzip))
                .onFailure(ctx::fail);
    }

    private void send(RoutingContext ctx, ScrapeCache.Exposition e, boolean gzip) {
        Sendable s = sendable.get(e.contentType());
        if (s == null || s.exposition() != e) {
            Buffer head = s != null && s.exposition().head() == e.head() ? s.head() : Buffer.buffer(e.head());
            s = new Sendable(e, head, Buffer.buffer(e.tail()), new AtomicReference<>());
            sendable.put(e.contentType(), s);
        }
        HttpServerResponse response = ctx.response().putHeader("Content-Type", e.contentType())
                .putHeader("Vary", "Accept-Encoding");
        if (gzip) {
            response.putHeader("Content-Encoding", "gzip").end(s.gzipped());
        } else {
            // the length first: two writes, one body, no chunked encoding
            response.putHeader("Content-Length", Integer.toString(e.length()));
            if (e.head().length > 0) {
                response.write(s.head());
            }
            response.end(s.tail());
        }
    }

    /**
     * One rendered exposition as the buffers every scrape of it is sent from; never written to. The gzip buffer is
     * made by the first gzip scrape (its bytes are made by then: {@link ScrapeCache#scrape(String, boolean)}).
     */
    private record Sendable(ScrapeCache.Exposition exposition, Buffer head, Buffer tail,
                            AtomicReference<Buffer> gzip) {

        Buffer gzipped() {
            Buffer kept = gzip.get();
            if (kept == null) {
                kept = Buffer.buffer(exposition.gzip(Runnable::run).join()); // already complete: no work here
                gzip.compareAndSet(null, kept);
            }
            return kept;
        }
    }
}
