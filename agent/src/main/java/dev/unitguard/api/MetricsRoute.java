package dev.unitguard.api;

import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.ScrapeCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /metrics on both listeners: the exposition {@code Accept} asks for, from one {@link ScrapeCache} rendered on a
 * worker thread, so that a scrape costs the event loop a header and a write of kept bytes, whatever the number of
 * units and of concurrent scrapers. A scraper that accepts gzip ({@code Accept-Encoding: gzip}, as Prometheus sends)
 * gets the compressed copy kept with the text ({@code Content-Encoding: gzip}); any other gets the text. Both carry
 * {@code Vary: Accept-Encoding} for caches in between.
 */
public final class MetricsRoute implements Handler<RoutingContext> {

    private final ScrapeCache scrapes;

    public MetricsRoute(Vertx vertx, AgentMetrics metrics) {
        this.scrapes = new ScrapeCache(metrics, task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false));
    }

    @Override
    public void handle(RoutingContext ctx) {
        Future.fromCompletionStage(scrapes.scrape(ctx.request().getHeader("Accept")), ctx.vertx().getOrCreateContext())
                .onSuccess(e -> send(ctx, e))
                .onFailure(ctx::fail);
    }

    private static void send(RoutingContext ctx, ScrapeCache.Exposition e) {
        HttpServerResponse response = ctx.response().putHeader("Content-Type", e.contentType())
                .putHeader("Vary", "Accept-Encoding");
        if (ScrapeCache.acceptsGzip(ctx.request().getHeader("Accept-Encoding"))) {
            response.putHeader("Content-Encoding", "gzip").end(Buffer.buffer(e.gzipped()));
        } else {
            response.end(Buffer.buffer(e.body()));
        }
    }
}
