package dev.unitguard.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /v1/units/{unit}/check}: {@code {"set": {"Key": "value" | ["v1", "v2"]}, "requires":
 * {manifest}, "probe": false}}, every field optional. Candidate directives go through the unit-file parser as a
 * drop-in for the unit type's section would, so a directive systemd would not know is refused in its words.
 * Every error is a 400 problem whose detail names the JSON path.
 */
record CheckRequest(List<Directive> set, Requirements requires, boolean probe) {

    private static final Set<String> FIELDS = Set.of("set", "requires", "probe");

    static CheckRequest parse(String body) {
        JsonNode root = JsonBodies.object(body, FIELDS);
        return new CheckRequest(entries(root.get("set")), requirements(root.get("requires")), probe(root.get("probe")));
    }

    private static List<Directive> entries(JsonNode set) {
        List<Directive> entries = new ArrayList<>();
        if (set == null || set.isNull()) {
            return entries;
        }
        if (!set.isObject()) {
            throw bad("expected an object of directives at $.set");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = set.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = "$.set." + field.getKey();
            if (!field.getKey().matches("[A-Za-z0-9_-]+")) {
                throw bad("invalid directive name at " + path);
            }
            List<JsonNode> values = new ArrayList<>();
            if (field.getValue().isArray()) {
                field.getValue().forEach(values::add);
            } else {
                values.add(field.getValue());
            }
            for (JsonNode value : values) {
                if (!value.isTextual() || value.textValue().indexOf('\n') >= 0 || value.textValue().indexOf('\r') >= 0) {
                    throw bad("expected a string (one line) or an array of strings at " + path);
                }
                entries.add(new Directive(field.getKey(), value.textValue()));
            }
        }
        return entries;
    }

    private static Requirements requirements(JsonNode requires) {
        if (requires == null || requires.isNull()) {
            return Requirements.none();
        }
        try {
            return RequirementsManifest.parse(requires.toString(), "$.requires");
        } catch (ManifestException e) {
            throw bad(e.getMessage());
        }
    }

    private static boolean probe(JsonNode probe) {
        if (probe == null || probe.isNull()) {
            return false;
        }
        if (!probe.isBoolean()) {
            throw bad("expected true or false at $.probe");
        }
        return probe.booleanValue();
    }

    /** The candidate as the assignments of a drop-in for {@code unitType}'s own section. */
    List<Assignment> candidate(String unitType) {
        try {
            return DropInDirectives.parse(EffectiveUnit.CANDIDATE_DROP_IN, unitType, set);
        } catch (DropInDirectives.RejectedException e) {
            throw bad("$.set." + set.get(e.index()).key() + ": " + e.reason());
        }
    }

    private static Problem.ProblemException bad(String detail) {
        return Problem.Kind.BAD_REQUEST.exception(detail);
    }
}
