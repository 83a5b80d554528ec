package dev.unitguard.api;

import dev.unitguard.check.CheckReport;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.json.JsonPath;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.UnitStateCache;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.probe.RunningProbe;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitName;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code /v1/units} routes. Unit files are read and checks computed on worker threads; states come from the
 * {@link UnitStateCache} (memory only). Unit names are validated before anything touches the file system.
 */
record UnitRoutes(HostUnits units, AgentMetrics metrics) {

    private static final JsonPath PROBE = JsonPath.of("probe");

    void list(RoutingContext ctx) {
        UnitStateCache cache = units.cache();
        cache.unavailable().ifPresentOrElse(
                reason -> ctx.fail(Problem.Kind.SYSTEMD_UNAVAILABLE.exception("cannot list units: " + reason)),
                () -> json(ctx, new UnitViews.UnitList(cache.units().stream().map(UnitViews.UnitSummary::of).toList())));
    }

    void show(RoutingContext ctx) {
        String name = validName(ctx.pathParam("unit"));
        blocking(ctx, () -> {
            EffectiveUnit unit = units.load(name);
            return UnitViews.UnitDetail.of(unit, assess(unit), units.cache().unit(unit.name()));
        });
    }

    void check(RoutingContext ctx) {
        String name = validName(ctx.pathParam("unit"));
        CheckRequest request = CheckRequest.parse(JsonBodies.text(ctx));
        Optional<Problem.ProblemException> noProbe = request.probe() ? units.probeUnavailable()
                : Optional.empty();
        if (noProbe.isPresent()) {
            metrics.probe("unavailable");
            throw noProbe.get();
        }
        long start = System.nanoTime();
        Future<Answer> answer = ctx.vertx().executeBlocking(() -> {
            try {
                EffectiveUnit unit = units.load(name);
                List<Assignment> candidate = request.candidate(unit.type());
                // what refuses the request (an unknown user or group, a unit that cannot be assessed) before the
                // probe starts; then the probe runs in systemd while the rest of the static check runs here
                CheckReport.Prepared check = CheckReport.prepare(units.host(), unit, candidate, request.requires());
                RunningProbe probe = request.probe() ? startProbe(unit, candidate, request) : null;
                boolean answered = false;
                try {
                    CheckReport report = check.report();
                    int failed = (int) report.requirements().stream().filter(r -> !r.ok()).count();
                    metrics.checkFinished(unit.name(), report.ok() ? "ok" : "fail", failed, since(start));
                    metrics.findings(unit.name(), report.findings());
                    Answer done = new Answer(probe != null ? probed(report, probe) : report, probe);
                    answered = true;
                    return done;
                } finally {
                    if (probe != null && !answered) {
                        probe.close();
                    }
                }
            } catch (SecurityAssessmentException e) {
                metrics.checkFinished(name, "error", 0, since(start));
                throw Problem.Kind.UNPROCESSABLE_UNIT.exception(e.getMessage());
            } catch (UnknownIdentity e) {
                metrics.checkFinished(name, "error", 0, since(start));
                throw Problem.Kind.BAD_REQUEST.exception(e.at(JsonPath.of("requires")), e.getMessage());
            } catch (RuntimeException e) {
                metrics.checkFinished(name, "error", 0, since(start));
                throw e;
            }
        }, false);
        answer.onSuccess(done -> {
            try {
                json(ctx, done.report());
            } finally {
                done.cleanUp(ctx.vertx());
            }
        }).onFailure(ctx::fail);
    }

    /**
     * A check's report and the probe it awaited, still to be closed: its unit released, its output and mount points
     * removed and its turn given back after the answer was sent, off the caller's time (on a worker).
     */
    private record Answer(CheckReport report, RunningProbe probe) {
        void cleanUp(io.vertx.core.Vertx vertx) {
            if (probe != null) {
                vertx.executeBlocking(() -> {
                    probe.close();
                    return null;
                }, false);
            }
        }
    }

    /** Starts the dynamic probe (a transient service through systemd; blocking, on the worker). */
    private RunningProbe startProbe(EffectiveUnit unit, List<Assignment> candidate, CheckRequest request) {
        try {
            return units.probe().start(unit, candidate, request.requires());
        } catch (ProbeException e) {
            metrics.probe("error");
            throw Problem.Kind.PROBE_NOT_RUN.exception(PROBE, e.getMessage());
        }
    }

    /** Awaits the probe and adds what it saw to the static check's report. */
    private CheckReport probed(CheckReport report, RunningProbe probe) {
        try {
            ProbeResult result = probe.result();
            metrics.probe(result.ok() ? "ok" : "fail");
            return report.withProbe(result);
        } catch (ProbeException e) {
            metrics.probe("error");
            throw Problem.Kind.PROBE_NOT_RUN.exception(PROBE, e.getMessage());
        }
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

    private static dev.unitguard.exposure.ExposureReport assess(EffectiveUnit unit) {
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
