package dev.unitguard.api;

import dev.unitguard.agent.UnitStateCache;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.sandbox.HostView;
import dev.unitguard.sandbox.SecurityAssessmentException;
import dev.unitguard.sandbox.SecurityAssessor;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.sandbox.UnitCheck;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitLoader;
import dev.unitguard.unit.UnitName;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The {@code /v1/units} routes. Unit files are read and checks computed on worker threads; states come from the
 * {@link UnitStateCache} (memory only). Unit names are validated before anything touches the file system.
 */
final class UnitRoutes {

    private final Path root;
    private final UnitStateCache cache;
    private final AgentMetrics metrics;

    UnitRoutes(Path root, UnitStateCache cache, AgentMetrics metrics) {
        this.root = root;
        this.cache = cache;
        this.metrics = metrics;
    }

    void list(RoutingContext ctx) {
        cache.unavailable().ifPresentOrElse(
                reason -> ctx.fail(Problem.Kind.SYSTEMD_UNAVAILABLE.exception("cannot list units: " + reason)),
                () -> json(ctx, new UnitViews.UnitList(cache.units().stream().map(UnitViews.UnitSummary::of).toList())));
    }

    void show(RoutingContext ctx) {
        String name = validName(ctx.pathParam("unit"));
        blocking(ctx, () -> {
            EffectiveUnit unit = load(name);
            return UnitViews.UnitDetail.of(unit, assess(unit), cache.unit(unit.name()));
        });
    }

    void check(RoutingContext ctx) {
        String name = validName(ctx.pathParam("unit"));
        CheckRequest request = CheckRequest.parse(ctx.body().asString());
        if (request.probe()) {
            metrics.probe("unavailable");
            ctx.fail(Problem.Kind.NOT_IMPLEMENTED.exception(
                    "$.probe: the dynamic probe is not available in this version of the agent; send \"probe\": false"));
            return;
        }
        long start = System.nanoTime();
        blocking(ctx, () -> {
            try {
                EffectiveUnit unit = load(name);
                UnitCheck.Report report = new UnitCheck(new StaticEvaluator(HostView.of(root)))
                        .run(unit, request.candidate(unit.type()), request.requires());
                int failed = (int) report.requirements().stream().filter(r -> !r.ok()).count();
                metrics.checkFinished(unit.name(), report.ok() ? "ok" : "fail", failed, since(start));
                return report;
            } catch (SecurityAssessmentException e) {
                metrics.checkFinished(name, "error", 0, since(start));
                throw Problem.Kind.UNPROCESSABLE_UNIT.exception(e.getMessage());
            } catch (RuntimeException e) {
                metrics.checkFinished(name, "error", 0, since(start));
                throw e;
            }
        });
    }

    /** Validates a unit name from the path: a known type suffix, no path separator, no {@code ..}. */
    static String validName(String raw) {
        if (raw.contains("..")) {
            throw Problem.Kind.INVALID_UNIT_NAME.exception("invalid unit name '" + raw + "': contains '..'");
        }
        try {
            return UnitName.parse(raw).name();
        } catch (IllegalArgumentException e) {
            throw Problem.Kind.INVALID_UNIT_NAME.exception(e.getMessage());
        }
    }

    private EffectiveUnit load(String name) {
        try {
            return UnitLoader.forRoot(root).load(name);
        } catch (UnitFileException e) {
            if (e.getMessage().contains(": unit not found in the unit search path")) {
                throw Problem.Kind.UNIT_NOT_FOUND.exception("no unit " + name + " in the unit search path");
            }
            throw Problem.Kind.UNPROCESSABLE_UNIT.exception(e.getMessage());
        }
    }

    private static dev.unitguard.sandbox.ExposureReport assess(EffectiveUnit unit) {
        try {
            return SecurityAssessor.assess(unit);
        } catch (SecurityAssessmentException e) {
            throw Problem.Kind.UNPROCESSABLE_UNIT.exception(e.getMessage());
        }
    }

    private static <T> void blocking(RoutingContext ctx, Callable<T> work) {
        Future<T> result = ctx.vertx().executeBlocking(work, false);
        result.onSuccess(body -> json(ctx, body)).onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, Object body) {
        ctx.response().putHeader("Content-Type", "application/json").end(JsonBodies.write(body));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
