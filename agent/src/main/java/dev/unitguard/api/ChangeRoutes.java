package dev.unitguard.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.unitguard.apply.ApplyResult;
import dev.unitguard.apply.ApplyService;
import dev.unitguard.apply.Caller;
import dev.unitguard.apply.HistoryEntry;
import dev.unitguard.apply.Outcome;
import dev.unitguard.apply.UnitFileRequest;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonPath;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.perms.FixExecutor;
import dev.unitguard.perms.FixPlan;
import dev.unitguard.perms.PermissionChecker;
import dev.unitguard.perms.PermissionReport;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.EffectiveUnit;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes that change a unit (hardening drop-in, unit file, enablement, rollback) and its permission routes:
 * thin adapters over {@link ApplyService} and the {@code perms} checker. Bodies are parsed on the event loop
 * ({@link ChangeBodies}); the engine runs on a worker. Results map to statuses as docs/apply.md says: applied and
 * unchanged 200, rolled_back 409, rollback_failed 500 (each the result's JSON), refused 422 problem+json
 * {@code apply-refused} with the result's fields as extensions; bad input and systemd failures go through the
 * {@link ErrorMapper}.
 */
record ChangeRoutes(ApplyService apply, HostUnits units, AgentMetrics metrics) {

    private static final TypeReference<LinkedHashMap<String, Object>> MEMBERS = new TypeReference<>() {
    };

    /** The status of each outcome that is answered as the result itself (refused is a problem). */
    private static final Map<Outcome, Integer> STATUS = Map.of(Outcome.APPLIED, 200, Outcome.UNCHANGED, 200,
            Outcome.ROLLED_BACK, 409, Outcome.ROLLBACK_FAILED, 500);

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ChangeRoutes.class.getName());

    void putHardening(RoutingContext ctx) {
        var request = ChangeBodies.hardening(unit(ctx), JsonBodies.text(ctx));
        Caller caller = caller(ctx);
        change(ctx, () -> apply.applyHardening(request, caller));
    }

    void deleteHardening(RoutingContext ctx) {
        String unit = unit(ctx);
        var activation = ChangeBodies.activationOnly(JsonBodies.text(ctx));
        Caller caller = caller(ctx);
        change(ctx, () -> apply.removeHardening(unit, activation, caller));
    }

    void rollback(RoutingContext ctx) {
        var request = ChangeBodies.rollback(unit(ctx), JsonBodies.text(ctx));
        Caller caller = caller(ctx);
        change(ctx, () -> apply.rollback(request, caller));
    }

    void putFile(RoutingContext ctx) {
        var request = ChangeBodies.unitFile(unit(ctx), JsonBodies.text(ctx));
        Caller caller = caller(ctx);
        change(ctx, () -> apply.unitFile(request, caller));
    }

    void deleteFile(RoutingContext ctx) {
        var request = new UnitFileRequest(unit(ctx), Optional.empty(),
                ChangeBodies.activationOnly(JsonBodies.text(ctx)));
        Caller caller = caller(ctx);
        change(ctx, () -> apply.unitFile(request, caller));
    }

    void enable(RoutingContext ctx) {
        String unit = unit(ctx);
        Caller caller = caller(ctx);
        change(ctx, () -> apply.enablement(unit, true, caller));
    }

    void disable(RoutingContext ctx) {
        String unit = unit(ctx);
        Caller caller = caller(ctx);
        change(ctx, () -> apply.enablement(unit, false, caller));
    }

    void history(RoutingContext ctx) {
        String unit = unit(ctx);
        ctx.vertx().executeBlocking(() -> apply.history(unit), false)
                .onSuccess(entries -> answer(ctx, 200, new History(unit, entries)))
                .onFailure(ctx::fail);
    }

    /** {@code GET /history}: the unit, then its entries (a record, so the members keep this order). */
    record History(String unit, List<HistoryEntry> entries) {
    }

    /** {@code POST /permissions}: the permission report for the unit's user and the required paths. */
    void permissions(RoutingContext ctx) {
        String unit = unit(ctx);
        Requirements requires = ChangeBodies.permissions(JsonBodies.text(ctx));
        ctx.vertx().executeBlocking(() -> check(unit, requires), false)
                .onSuccess(report -> UnitRoutes.json(ctx, report)).onFailure(ctx::fail);
    }

    /** {@code POST /permissions/fix}: the fix plan of the report, carried out unless {@code dryRun} (default). */
    void fix(RoutingContext ctx) {
        String unit = unit(ctx);
        ChangeBodies.FixBody body = ChangeBodies.fix(JsonBodies.text(ctx));
        Requirements requires = JsonBodies.requirements(body.requires());
        boolean dryRun = body.isDryRun();
        Caller caller = caller(ctx);
        ctx.vertx().executeBlocking(() -> {
            FixPlan plan = FixPlan.of(check(unit, requires));
            List<FixExecutor.Result> results = new FixExecutor(units.host()).apply(plan, dryRun);
            if (!dryRun) {
                // the engine's history holds unit-file and drop-in changes only: the log keeps who fixed what
                results.forEach(r -> LOG.info(unit + ": permission fix by " + caller.principal() + ": " + r));
            }
            PermissionReport after = dryRun ? null : check(unit, requires);
            return new FixAnswer(unit, dryRun, results, plan.manual(), after);
        }, false).onSuccess(answer -> UnitRoutes.json(ctx, answer)).onFailure(ctx::fail);
    }

    /** The answer of the fix route; {@code after} is the report once the changes were made (null on a dry run). */
    record FixAnswer(String unit, boolean dryRun, List<FixExecutor.Result> changes,
                     List<dev.unitguard.perms.Finding> manual, PermissionReport after) {
    }

    private PermissionReport check(String unit, Requirements requires) {
        EffectiveUnit loaded = units.load(unit);
        try {
            PermissionReport report = new PermissionChecker(units.host()).check(loaded, requires);
            metrics.findings(loaded.name(), report.findings());
            return report;
        } catch (UnknownIdentity e) {
            throw Problem.Kind.BAD_REQUEST.exception(e.at(JsonPath.of("requires")), e.getMessage());
        }
    }

    @FunctionalInterface
    private interface EngineCall {
        ApplyResult call() throws Exception;
    }

    private static void change(RoutingContext ctx, EngineCall call) {
        Future<ApplyResult> result = ctx.vertx().executeBlocking(call::call, false);
        result.onSuccess(r -> answer(ctx, r)).onFailure(ctx::fail);
    }

    private static void answer(RoutingContext ctx, ApplyResult result) {
        if (result instanceof ApplyResult.Refused refused) {
            ctx.fail(Problem.Kind.APPLY_REFUSED.exception(refused.unit() + ": not applied, the checks say the"
                    + " service would break: " + String.join("; ", refused.reasons()), members(refused)));
            return;
        }
        answer(ctx, STATUS.get(result.outcome()), result);
    }

    /** The refusal's fields (outcome, unit, reasons, exitStatus, exitStatusName, check) as problem extensions. */
    private static Map<String, Object> members(ApplyResult.Refused refused) {
        Map<String, Object> members = Json.mapper().convertValue(refused, MEMBERS);
        members.values().removeIf(java.util.Objects::isNull);
        return members;
    }

    private static void answer(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Json.compact(body) + "\n");
    }

    private static String unit(RoutingContext ctx) {
        return UnitRoutes.validName(ctx.pathParam("unit"));
    }

    private static Caller caller(RoutingContext ctx) {
        String principal = java.util.Objects.requireNonNullElse(ctx.get(PeerAccess.PRINCIPAL), "unknown");
        Caller.Scope scope = java.util.Objects.requireNonNullElse(ctx.get(PeerAccess.SCOPE), Caller.Scope.HARDENING);
        String key = ctx.request().getHeader("Idempotency-Key");
        try {
            return key == null ? Caller.of(principal, scope) : Caller.of(principal, scope).withIdempotencyKey(key);
        } catch (IllegalArgumentException e) {
            throw Problem.Kind.BAD_REQUEST.exception(e.getMessage());
        }
    }
}
