package dev.unitguard.api;

import dev.unitguard.metrics.UnitStateCache;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (configuration loaded, listeners up, systemd
 * reachable): 200 {@code {"status":"up"}} or 503 {@code {"status":"down", "checks": {...}}}, each check saying why.
 */
final class HealthRoutes {

    record Health(String status, Map<String, String> checks) {
    }

    private final BooleanSupplier listening;
    private final UnitStateCache cache;

    HealthRoutes(BooleanSupplier listening, UnitStateCache cache) {
        this.listening = listening;
        this.cache = cache;
    }

    void live(RoutingContext ctx) {
        UnitRoutes.json(ctx, new Health("up", Map.of()));
    }

    void ready(RoutingContext ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("config", "up");
        checks.put("listeners", listening.getAsBoolean() ? "up" : "down: not listening (starting or stopping)");
        checks.put("systemd", cache.unavailable().map(reason -> "down: " + reason).orElse("up"));
        boolean up = checks.values().stream().allMatch("up"::equals);
        ctx.response().setStatusCode(up ? 200 : 503);
        UnitRoutes.json(ctx, new Health(up ? "up" : "down", checks));
    }
}
