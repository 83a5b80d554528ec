package dev.unitguard.apply;

import dev.unitguard.sandbox.Requirements;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code PUT /v1/units/{unit}/hardening}: the directives of the unitguard drop-in ({@code set}, each key with one or
 * more values, written one line each in key order), what the service needs ({@code requires}), how to activate it,
 * and {@code force} to apply even when the checks say the service would break.
 */
public record HardeningRequest(String unit, Map<String, List<String>> set, Requirements requires,
                               Activation activation, boolean force) {

    public HardeningRequest {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(requires, "requires");
        Objects.requireNonNull(activation, "activation");
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        set.forEach((k, v) -> sorted.put(k, List.copyOf(v)));
        set = java.util.Collections.unmodifiableMap(sorted);
    }

    /** Convenience for one value per directive. */
    public static Map<String, List<String>> single(Map<String, String> directives) {
        Map<String, List<String>> set = new TreeMap<>();
        directives.forEach((k, v) -> set.put(k, List.of(v)));
        return set;
    }
}
