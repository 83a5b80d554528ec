package dev.unitguard.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.json.JsonPath;
import dev.unitguard.learn.LearnException;
import dev.unitguard.learn.LearnMode;
import dev.unitguard.learn.Learner;
import dev.unitguard.learn.RequirementsStore;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * {@code POST /v1/units/{unit}/learn} and {@code GET/PUT /v1/units/{unit}/requirements}: thin adapters over
 * {@link Learner} and {@link RequirementsStore}, blocking work on workers. A learn answers its status once the sampler
 * runs (404, 409, 422, 501, 503 before); then, for the whole window, a space every few seconds keeps the connection
 * from the idle timeout (JSON allows leading white space), and the manifest ends the body. A learn that fails after
 * its 200 was sent resets the connection (the client sees an incomplete answer, never a manifest) and is logged.
 */
record LearnRoutes(HostUnits units, RequirementsStore store, Duration idleTimeout) {

    private static final Logger LOG = Logger.getLogger(LearnRoutes.class.getName());
    private static final JsonPath MODE = JsonPath.of("mode");

    /** The body of {@code POST /learn}: both members optional. */
    record LearnBody(Duration window, LearnMode mode) {

        @JsonCreator
        static LearnBody of(@JsonProperty("durationSeconds") Long seconds, @JsonProperty("mode") String mode) {
            long max = Learner.MAX_WINDOW.toSeconds();
            if (seconds != null && (seconds < 1 || seconds > max)) {
                throw new JsonInputException(JsonPath.of("durationSeconds"), "expected an integer from 1 to " + max
                        + ", got " + seconds);
            }
            LearnMode m = mode == null ? LearnMode.OBSERVE : LearnMode.of(mode).orElseThrow(() ->
                    new JsonInputException(MODE, "expected \"observe\" or \"trace\", got \"" + mode + "\""));
            return new LearnBody(seconds == null ? Learner.DEFAULT_WINDOW : Duration.ofSeconds(seconds), m);
        }
    }

    void getRequirements(RoutingContext ctx) {
        String unit = UnitRoutes.validName(ctx.pathParam("unit"));
        ctx.vertx().executeBlocking(() -> stored(unit), false).onSuccess(doc -> UnitRoutes.json(ctx, doc))
                .onFailure(ctx::fail);
    }

    void putRequirements(RoutingContext ctx) {
        String unit = UnitRoutes.validName(ctx.pathParam("unit"));
        Document doc = JsonBodies.read(JsonBodies.text(ctx), Document.class);
        try {
            RequirementsManifest.requirements(doc, "body");
        } catch (ManifestException e) {
            throw Problem.Kind.BAD_REQUEST.exception(e.at().orElse(JsonPath.ROOT), e.reason());
        }
        ctx.vertx().executeBlocking(() -> {
            units.load(unit);
            store.put(unit, doc);
            return doc;
        }, false).onSuccess(d -> UnitRoutes.json(ctx, d)).onFailure(ctx::fail);
    }

    void learn(RoutingContext ctx) {
        String unit = UnitRoutes.validName(ctx.pathParam("unit"));
        LearnBody body = JsonBodies.readOptional(JsonBodies.text(ctx), LearnBody.class);
        units.cache().unavailable().ifPresent(reason -> {
            throw Problem.Kind.SYSTEMD_UNAVAILABLE.exception("learning needs systemd: " + reason);
        });
        Vertx vertx = ctx.vertx();
        vertx.executeBlocking(() -> {
            try {
                return units.learner().start(units.load(unit), body.window(), body.mode());
            } catch (LearnException e) {
                throw problem(e);
            }
        }, false).onFailure(ctx::fail).onSuccess(learning -> {
            HttpServerResponse response = ctx.response().setChunked(true).putHeader("Content-Type",
                    "application/json");
            response.write(" ");
            long timer = vertx.setPeriodic(keepAlive().toMillis(), id -> {
                if (!response.ended() && !response.closed()) {
                    response.write(" ");
                }
            });
            vertx.executeBlocking(() -> {
                Document doc = learning.result();
                store.put(unit, doc);
                return doc;
            }, false).onComplete(done -> {
                vertx.cancelTimer(timer);
                if (response.closed()) {
                    return;
                }
                if (done.succeeded()) {
                    response.end(Json.write(done.result()) + "\n");
                } else {
                    LOG.warning("learn of " + unit + " failed after it started: " + done.cause().getMessage());
                    response.reset();
                }
            });
        });
    }

    private Document stored(String unit) {
        try {
            return store.get(unit).orElseThrow(() -> Problem.Kind.NOT_FOUND.exception("no requirements stored for "
                    + unit + " (PUT them, or POST /v1/units/" + unit + "/learn)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Problem.ProblemException problem(LearnException e) {
        return switch (e.reason()) {
            case NOT_RUNNING, FAILED -> Problem.Kind.LEARN_NOT_RUN.exception(e.getMessage());
            case BUSY -> Problem.Kind.LEARN_BUSY.exception(e.getMessage());
            case UNSUPPORTED -> Problem.Kind.NOT_IMPLEMENTED.exception(MODE, e.getMessage());
        };
    }

    /** How often a learn's body gets a space: a third of the idle timeout, at most 10 s. */
    private Duration keepAlive() {
        Duration third = idleTimeout.dividedBy(3);
        return third.compareTo(Duration.ofSeconds(10)) < 0 && !third.isZero() ? third : Duration.ofSeconds(10);
    }
}
