package dev.unitguard.api;

import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.ScrapeCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /metrics on both listeners: the exposition {@code Accept} asks for, from one {@link ScrapeCache} rendered on a
 * worker thread, so that a scrape costs the event loop a header and a write of kept bytes, whatever the number of
 * units and of concurrent scrapers.
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
                .onSuccess(e -> ctx.response().putHeader("Content-Type", e.contentType()).end(Buffer.buffer(e.body())))
                .onFailure(ctx::fail);
    }
}
