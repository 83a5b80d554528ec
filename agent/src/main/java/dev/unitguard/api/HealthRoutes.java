package dev.unitguard.api;

import dev.unitguard.metrics.UnitStateCache;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (configuration loaded, listeners up, systemd
 * reachable): 200 {@code {"status":"up"}} or 503 {@code {"status":"down", "checks": {...}}}, each check saying why.
 * While the first reading of systemd's units is under way, a check {@code units} says how far it is (still 200).
 */
record HealthRoutes(BooleanSupplier listening, UnitStateCache cache) {

    record Health(String status, Map<String, String> checks) {
    }

    void live(RoutingContext ctx) {
        UnitRoutes.json(ctx, new Health("up", Map.of()));
    }

    void ready(RoutingContext ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("config", "up");
        checks.put("listeners", listening.getAsBoolean() ? "up" : "down: not listening (starting or stopping)");
        checks.put("systemd", cache.unavailable().map(reason -> "down: " + reason).orElse("up"));
        // the units are read page by page after start: ready (checks answer), and saying what is still being read
        cache.reading().ifPresent(progress -> checks.put("units", progress));
        boolean up = checks.values().stream().noneMatch(v -> v.startsWith("down"));
        ctx.response().setStatusCode(up ? 200 : 503);
        UnitRoutes.json(ctx, new Health(up ? "up" : "down", checks));
    }
}
