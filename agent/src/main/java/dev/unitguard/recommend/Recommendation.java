package dev.unitguard.recommend;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.unitguard.probe.ProbeResult;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The strongest sandbox found for a unit under which the static check passes: the drop-in's directives
 * ({@code set}, the shape of {@code PUT /hardening}'s), the exposure without and with it, how it was verified,
 * why each directive is safe and which stronger settings were left out for which need.
 *
 * @param verified {@code static}, or {@code probe} when the probe ran the set and saw every need met
 * @param unmet    needs no directive change grants (file permissions, a missing file); empty when none
 * @param probe    what the probe saw; null when it did not run
 */
@JsonPropertyOrder({"unit", "set", "exposure", "verified", "explanations", "rejected", "unmet", "probe"})
public record Recommendation(String unit, @JsonIgnore DirectiveSet directives, Exposure exposure, String verified,
                             List<Explanation> explanations, List<Rejected> rejected,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Unmet> unmet,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Probed probe) {

    public Recommendation {
        explanations = List.copyOf(explanations);
        rejected = List.copyOf(rejected);
        unmet = List.copyOf(unmet);
    }

    /** Exposure scores as systemd-analyze security would print them, without and with the set. */
    public record Exposure(BigDecimal before, BigDecimal after) {
    }

    /** Why {@code directive=value} is in the set: the need it respects and what the static check saw. */
    public record Explanation(String directive, String value, String why, String evidence) {
    }

    /** A stronger {@code directive=value} left out, and the need it would break. */
    public record Rejected(String directive, String value, String because) {
    }

    /** A need the sandbox cannot grant, with the static check's reason. */
    public record Unmet(String path, String access, String deniedBy, String reason) {
    }

    /** The probe's part: what it saw and, when it saw something else than the static check, what. */
    public record Probed(ProbeResult result, boolean agree, @JsonInclude(JsonInclude.Include.NON_NULL) String
            disagreement) {
    }

    /** The drop-in as {@code PUT /v1/units/{unit}/hardening} takes it. */
    @com.fasterxml.jackson.annotation.JsonProperty("set")
    public Map<String, Object> set() {
        return directives.json();
    }

    /** True when the static check passes every need with the set. */
    @JsonIgnore
    public boolean ok() {
        return unmet.isEmpty();
    }

    /** This recommendation with the probe's result: {@code verified} is {@code probe} only when it agrees. */
    public Recommendation withProbe(ProbeResult result) {
        boolean agree = result.ok() == ok();
        String disagreement = null;
        if (!result.ok()) {
            disagreement = !result.startup().ok()
                    ? "the probe failed to start: " + result.startup().code() + " status " + result.startup()
                    .exitStatus() + "/" + result.startup().exitStatusName() + (result.startup().journal() == null ? ""
                    : ": " + result.startup().journal())
                    : "the probe saw " + result.requirements().stream().filter(o -> !o.ok())
                    .map(o -> o.path() + " " + o.access() + " denied (" + o.error() + ")").findFirst()
                    .or(() -> result.needs().stream().filter(n -> !n.ok()).map(n -> n.need() + " denied ("
                            + n.seen() + ")").findFirst()).orElse("");
        }
        return new Recommendation(unit, directives, exposure, agree && result.ok() ? "probe" : "static",
                explanations, rejected, unmet, new Probed(result, agree, disagreement));
    }
}
