package dev.unitguard.recommend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A directive change that would grant a denied requirement: one or more edits, each replacing a setting's value
 * ({@code ProtectHome=read-only}) or adding to a list setting ({@code ReadWritePaths=-/run/nginx.pid}).
 *
 * @param note what else the change does, for the explanation ({@code systemd chowns /var/lib/x to User=}); may be empty
 */
public record Grant(List<Edit> edits, String note) {

    /** One edit: {@code key=value}, appended to a list setting when {@code append}. */
    public record Edit(String key, String value, boolean append) {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    public Grant {
        edits = List.copyOf(edits);
        if (edits.isEmpty()) {
            throw new IllegalArgumentException("a grant changes at least one directive");
        }
    }

    static Grant set(String key, String value) {
        return new Grant(List.of(new Edit(key, value, false)), "");
    }

    static Grant add(String key, String value, String note) {
        return new Grant(List.of(new Edit(key, value, true)), note);
    }

    /** The edits as a {@code set} of the check API: a string per directive, an array when several. */
    public Map<String, Object> json() {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        edits.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new java.util.ArrayList<>()).add(e.value()));
        Map<String, Object> out = new LinkedHashMap<>();
        byKey.forEach((k, v) -> out.put(k, v.size() == 1 ? v.get(0) : v));
        return out;
    }

    @Override
    public String toString() {
        return edits.stream().map(Edit::toString).collect(Collectors.joining(" "));
    }
}
