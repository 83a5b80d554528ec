package dev.unitguard.api;

import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.json.JsonPath;
import dev.unitguard.learn.RequirementsStore;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.recommend.Recommendation;
import dev.unitguard.recommend.Recommender;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.EffectiveUnit;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * {@code POST /v1/units/{unit}/recommend}: the strongest sandbox the static check passes for the unit and a manifest
 * (the body's {@code requires}, else the one stored for the unit), confirmed by the probe when asked. The search and
 * the probe run on a worker thread. {@code store}: the manifests learn and {@code PUT /requirements} stored, the one
 * {@code GET} reads.
 */
record RecommendRoutes(HostUnits units, RequirementsStore store) {

    private static final JsonPath PROBE = JsonPath.of("probe");
    private static final JsonPath REQUIRES = JsonPath.of("requires");

    /** The body: {@code {"requires": manifest, "probe": false}}, both optional. */
    record Body(RequirementsManifest.Document requires, Boolean probe) {
    }

    void recommend(RoutingContext ctx) {
        String name = UnitRoutes.validName(ctx.pathParam("unit"));
        Body body = JsonBodies.readOptional(JsonBodies.text(ctx), Body.class);
        boolean probe = Boolean.TRUE.equals(body.probe());
        Requirements given = body.requires() == null ? null : JsonBodies.requirements(body.requires());
        if (probe) {
            units.probeUnavailable().ifPresent(unavailable -> {
                throw unavailable;
            });
        }
        Future<Recommendation> result = ctx.vertx().executeBlocking(() -> {
            EffectiveUnit unit = units.load(name);
            Requirements needs = given != null ? given : stored(name);
            Recommendation r;
            try {
                r = new Recommender(units.host()).recommend(unit, needs);
            } catch (SecurityAssessmentException e) {
                throw Problem.Kind.UNPROCESSABLE_UNIT.exception(e.getMessage());
            } catch (UnknownIdentity e) {
                throw Problem.Kind.BAD_REQUEST.exception(e.at(REQUIRES), e.getMessage());
            }
            if (!probe) {
                return r;
            }
            try {
                return r.withProbe(units.probe().run(unit, r.directives().assignments(unit), needs));
            } catch (ProbeException e) {
                throw Problem.Kind.PROBE_NOT_RUN.exception(PROBE, e.getMessage());
            }
        }, false);
        result.onSuccess(r -> UnitRoutes.json(ctx, r)).onFailure(ctx::fail);
    }

    /**
     * The manifest stored for the unit ({@code requirements/UNIT.json} in the state directory, written by learn and
     * {@code PUT /requirements}); none is a 422 naming {@code requires}.
     */
    Requirements stored(String unit) {
        try {
            Document doc = store.get(unit).orElseThrow(() -> Problem.Kind.NO_REQUIREMENTS.exception(REQUIRES,
                    "no manifest in the body and none stored for " + unit + " (" + store.file(unit) + ")"));
            return RequirementsManifest.requirements(doc, store.file(unit).toString());
        } catch (IOException | ManifestException e) {
            throw Problem.Kind.NO_REQUIREMENTS.exception(REQUIRES, "the stored manifest cannot be read: "
                    + e.getMessage());
        }
    }
}
