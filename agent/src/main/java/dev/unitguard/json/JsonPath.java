package dev.unitguard.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where in a JSON document a value sits: the member names and array indexes from the root. Errors name it two ways,
 * both from this one value: {@link #toString()} for people ({@code $.set.ProtectSystem}, {@code $.paths[0].access})
 * and {@link #pointer()} for programs (RFC 6901: {@code /set/ProtectSystem}, {@code /paths/0/access}).
 */
public record JsonPath(List<Step> steps) {

    /** The whole document: {@code $}, pointer {@code ""}. */
    public static final JsonPath ROOT = new JsonPath(List.of());

    /** A member {@code name}, or (when {@code name} is null) the array element at {@code index}. */
    public record Step(String name, int index) {
        public Step {
            if (name == null && index < 0) {
                throw new IllegalArgumentException("an array index must not be negative: " + index);
            }
        }
    }

    public JsonPath {
        steps = List.copyOf(steps);
    }

    /** The path of member {@code name}, as in {@code ROOT.member("set").member("ProtectSystem")}. */
    public static JsonPath of(String... members) {
        JsonPath path = ROOT;
        for (String member : members) {
            path = path.member(member);
        }
        return path;
    }

    public JsonPath member(String name) {
        return append(new Step(Objects.requireNonNull(name, "name"), -1));
    }

    public JsonPath index(int index) {
        return append(new Step(null, index));
    }

    /** {@code relative} read from where this path ends: {@code $.requires} then {@code $.paths[0]}. */
    public JsonPath resolve(JsonPath relative) {
        List<Step> all = new ArrayList<>(steps);
        all.addAll(relative.steps);
        return new JsonPath(all);
    }

    private JsonPath append(Step step) {
        List<Step> all = new ArrayList<>(steps);
        all.add(step);
        return new JsonPath(all);
    }

    /** The RFC 6901 JSON pointer: {@code ""} for the whole document, {@code ~} and {@code /} escaped. */
    public String pointer() {
        StringBuilder sb = new StringBuilder();
        for (Step step : steps) {
            sb.append('/').append(step.name() == null ? Integer.toString(step.index())
                    : step.name().replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /** The path as people read it: {@code $}, {@code $.set.ProtectSystem}, {@code $.paths[0].access}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("$");
        for (Step step : steps) {
            sb.append(step.name() == null ? "[" + step.index() + "]" : "." + step.name());
        }
        return sb.toString();
    }
}
