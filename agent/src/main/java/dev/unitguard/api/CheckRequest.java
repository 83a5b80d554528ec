package dev.unitguard.api;

import dev.unitguard.json.JsonInputException;
import dev.unitguard.json.JsonPath;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/units/{unit}/check}: {@code {"set": {"Key": "value" | ["v1", "v2"]}, "requires":
 * {manifest}, "probe": false}}, every field optional. Candidate directives go through the unit-file parser as a
 * drop-in for the unit type's section would, so a directive systemd would not know is refused in its words.
 * Every error is a 400 problem naming the value ({@code $.set.ProtectSystem: ...}, pointer {@code /set/ProtectSystem}).
 */
record CheckRequest(List<Directive> set, Requirements requires, boolean probe) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** The body as sent. */
    record Body(Map<String, DirectiveValues> set, RequirementsManifest.Document requires, Boolean probe) {
        Body {
            set = set == null ? Map.of() : new LinkedHashMap<>(set);
            set.forEach((key, values) -> {
                if (!NAME.matcher(key).matches()) {
                    throw new JsonInputException(JsonPath.of("set", key), "invalid directive name");
                }
                if (values == null || values.values().stream().anyMatch(v -> v.indexOf('\n') >= 0
                        || v.indexOf('\r') >= 0)) {
                    throw new JsonInputException(JsonPath.of("set", key),
                            "expected a string (one line) or an array of strings");
                }
            });
        }
    }

    static CheckRequest parse(String body) {
        Body read = JsonBodies.read(body, Body.class);
        List<Directive> entries = new ArrayList<>();
        read.set().forEach((key, values) -> values.values().forEach(v -> entries.add(new Directive(key, v))));
        return new CheckRequest(entries, JsonBodies.requirements(read.requires()), Boolean.TRUE.equals(read.probe()));
    }

    /** The candidate as the assignments of a drop-in for {@code unitType}'s own section. */
    List<Assignment> candidate(String unitType) {
        try {
            return DropInDirectives.parse(EffectiveUnit.CANDIDATE_DROP_IN, unitType, set);
        } catch (DropInDirectives.RejectedException e) {
            throw Problem.Kind.BAD_REQUEST.exception(JsonPath.of("set", set.get(e.index()).key()), e.reason());
        }
    }
}
