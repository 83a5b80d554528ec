package dev.unitguard.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.apply.Activation;
import dev.unitguard.apply.HardeningRequest;
import dev.unitguard.apply.Health;
import dev.unitguard.apply.RollbackRequest;
import dev.unitguard.apply.UnitFileRequest;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bodies of the change routes, parsed into the engine's requests. Every field is optional unless said; every
 * error is a 400 problem whose detail names the JSON path ({@code $.timeoutSeconds: ...}). The directives themselves
 * are validated by the engine (through the unit-file parser), which names them {@code set.Key}.
 */
final class ChangeBodies {

    private static final Set<String> ACTIVATION = Set.of("restart", "health", "timeoutSeconds");

    private ChangeBodies() {
    }

    /** {@code {"set", "requires", "restart", "health", "timeoutSeconds", "force"}}; {@code set} is required. */
    static HardeningRequest hardening(String unit, String body) {
        JsonNode root = object(body, Set.of("set", "requires", "force"));
        JsonNode set = root.get("set");
        if (set == null || !set.isObject()) {
            throw bad("$.set: expected an object of directives");
        }
        Map<String, List<String>> directives = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = set.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            List<String> values = new ArrayList<>();
            for (JsonNode v : field.getValue().isArray() ? field.getValue() : List.of(field.getValue())) {
                if (!v.isTextual()) {
                    throw bad("$.set." + field.getKey() + ": expected a string or an array of strings");
                }
                values.add(v.textValue());
            }
            directives.put(field.getKey(), values);
        }
        return new HardeningRequest(unit, directives, requires(root.get("requires")), activation(root),
                bool(root, "force", false));
    }

    /** {@code {"restart", "health", "timeoutSeconds"}} or no body: reload only. */
    static Activation activationOnly(String body) {
        return body == null || body.isBlank() ? Activation.reloadOnly() : activation(object(body, Set.of()));
    }

    /** {@code {"to": id | null, "restart", "health", "timeoutSeconds"}}. */
    static RollbackRequest rollback(String unit, String body) {
        JsonNode root = object(body == null || body.isBlank() ? "{}" : body, Set.of("to"));
        JsonNode to = root.get("to");
        if (to != null && !to.isNull() && (!to.isIntegralNumber() || to.longValue() < 1)) {
            throw bad("$.to: expected a history entry id (an integer from 1) or null");
        }
        return new RollbackRequest(unit, to == null || to.isNull() ? OptionalLong.empty()
                : OptionalLong.of(to.longValue()), activation(root));
    }

    /** {@code {"content": "unit file text", "restart", "health", "timeoutSeconds"}}; {@code content} required. */
    static UnitFileRequest unitFile(String unit, String body) {
        JsonNode root = object(body, Set.of("content"));
        JsonNode content = root.get("content");
        if (content == null || !content.isTextual()) {
            throw bad("$.content: expected the unit file's text as a string");
        }
        return new UnitFileRequest(unit, Optional.of(content.textValue()), activation(root));
    }

    /** {@code {"requires"}} and, with {@code dryRun}, {@code {"dryRun": true}} (the default). */
    static Requirements permissions(String body, boolean allowDryRun) {
        JsonNode root = object(body == null || body.isBlank() ? "{}" : body,
                allowDryRun ? Set.of("requires", "dryRun") : Set.of("requires"), false);
        return requires(root.get("requires"));
    }

    static boolean dryRun(String body) {
        return bool(object(body == null || body.isBlank() ? "{}" : body, Set.of("requires", "dryRun"), false),
                "dryRun", true);
    }

    private static Activation activation(JsonNode root) {
        long timeout = Activation.DEFAULT_TIMEOUT.toSeconds();
        JsonNode t = root.get("timeoutSeconds");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || t.longValue() < 1 || t.longValue() > Activation.MAX_TIMEOUT.toSeconds()) {
                throw bad("$.timeoutSeconds: expected an integer from 1 to " + Activation.MAX_TIMEOUT.toSeconds()
                        + ", got " + t);
            }
            timeout = t.longValue();
        }
        return new Activation(bool(root, "restart", false), health(root.get("health")), Duration.ofSeconds(timeout));
    }

    private static Health health(JsonNode health) {
        if (health == null || health.isNull()) {
            return Health.NONE;
        }
        if (!health.isObject() || health.size() != 1 || !(health.has("http") || health.has("exec"))) {
            throw bad("$.health: expected null, {\"http\": URL} or {\"exec\": [command, args...]}");
        }
        try {
            if (health.has("http")) {
                if (!health.get("http").isTextual()) {
                    throw bad("$.health.http: expected a URL string");
                }
                return new Health.Http(new URI(health.get("http").textValue()));
            }
            List<String> argv = new ArrayList<>();
            JsonNode exec = health.get("exec");
            if (!exec.isArray()) {
                throw bad("$.health.exec: expected an array of strings");
            }
            for (JsonNode a : exec) {
                if (!a.isTextual()) {
                    throw bad("$.health.exec: expected an array of strings");
                }
                argv.add(a.textValue());
            }
            return new Health.Exec(argv);
        } catch (URISyntaxException e) {
            throw bad("$.health.http: not a URL: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw bad("$." + e.getMessage().replaceFirst(" must ", ": must "));
        }
    }

    private static Requirements requires(JsonNode requires) {
        if (requires == null || requires.isNull()) {
            return Requirements.none();
        }
        try {
            return RequirementsManifest.parse(requires.toString(), "$.requires");
        } catch (ManifestException e) {
            throw bad(e.getMessage());
        }
    }

    private static boolean bool(JsonNode root, String field, boolean absent) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw bad("$." + field + ": expected true or false, got " + v);
        }
        return v.booleanValue();
    }

    /** A body object with {@code fields} and, when {@code activation}, the restart/health/timeout fields. */
    private static JsonNode object(String body, Set<String> fields) {
        return object(body, fields, true);
    }

    private static JsonNode object(String body, Set<String> fields, boolean activation) {
        Set<String> allowed = new HashSet<>(fields);
        if (activation) {
            allowed.addAll(ACTIVATION);
        }
        return JsonBodies.object(body, allowed);
    }

    private static Problem.ProblemException bad(String detail) {
        return Problem.Kind.BAD_REQUEST.exception(detail);
    }
}
