package dev.unitguard.recommend;

import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Directives for a drop-in, by name in sorted order, each with its values in order (an empty value first resets a
 * list setting, as in a unit file). Immutable: every change returns a new set.
 */
public record DirectiveSet(SortedMap<String, List<String>> values) {

    /** The settings that widen what the service may write (counted to keep writable paths few). */
    static final List<String> WRITABLE = List.of("BindPaths", "CacheDirectory", "LogsDirectory", "ReadWritePaths",
            "RuntimeDirectory", "StateDirectory");

    public DirectiveSet {
        TreeMap<String, List<String>> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        values = Collections.unmodifiableSortedMap(copy);
    }

    static DirectiveSet empty() {
        return new DirectiveSet(new TreeMap<>());
    }

    /** This set with {@code key} set to exactly {@code values}. */
    DirectiveSet with(String key, List<String> newValues) {
        TreeMap<String, List<String>> copy = new TreeMap<>(values);
        copy.put(key, newValues);
        return new DirectiveSet(copy);
    }

    DirectiveSet with(String key, String value) {
        return with(key, List.of(value));
    }

    /** This set with {@code value} appended to list setting {@code key} (once). */
    DirectiveSet plus(String key, String value) {
        List<String> now = new ArrayList<>(values.getOrDefault(key, List.of()));
        if (!now.contains(value)) {
            now.add(value);
        }
        return with(key, now);
    }

    DirectiveSet without(String key) {
        TreeMap<String, List<String>> copy = new TreeMap<>(values);
        copy.remove(key);
        return new DirectiveSet(copy);
    }

    /** The value of a single-valued setting (its last value); null when not set. */
    String value(String key) {
        List<String> v = values.get(key);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** The drop-in's directives, in order. */
    public List<Directive> directives() {
        List<Directive> out = new ArrayList<>();
        values.forEach((key, vs) -> vs.forEach(v -> out.add(new Directive(key, v))));
        return out;
    }

    /** The assignments of the drop-in for {@code unit}'s section, as systemd would read it. */
    public List<Assignment> assignments(EffectiveUnit unit) {
        return DropInDirectives.parse(EffectiveUnit.CANDIDATE_DROP_IN, unit.type(), directives());
    }

    /** The drop-in's text ({@code [Service]} and one line per value). */
    public String text(String unitType) {
        return DropInDirectives.text(unitType, directives());
    }

    /** The JSON of {@code PUT /hardening}'s {@code set}: a string for one value, an array for several. */
    public Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((key, vs) -> out.put(key, vs.size() == 1 ? vs.get(0) : vs));
        return out;
    }

    /** How many paths the set makes writable (entries of the settings in {@link #WRITABLE}). */
    int writablePaths() {
        int n = 0;
        for (String key : WRITABLE) {
            n += (int) values.getOrDefault(key, List.of()).stream().filter(v -> !v.isEmpty()).count();
        }
        return n;
    }

    /** This set with {@code other}'s values replacing or appended to its own, as {@link Grant} says. */
    DirectiveSet apply(Grant grant) {
        DirectiveSet out = this;
        for (Grant.Edit e : grant.edits()) {
            out = e.append() ? out.plus(e.key(), e.value()) : out.with(e.key(), e.value());
        }
        return out;
    }
}
