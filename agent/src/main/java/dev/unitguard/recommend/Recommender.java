package dev.unitguard.recommend;

import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.HostView;
import dev.unitguard.recommend.Recommendation.Explanation;
import dev.unitguard.recommend.Recommendation.Rejected;
import dev.unitguard.recommend.Recommendation.Unmet;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Searches the directive space for the set with the lowest exposure under which the static check passes: it starts
 * from the strongest value of every directive ({@link Baseline}), then, for each need the static check denies (in
 * manifest order), takes the smallest change that grants it without denying another ({@link Grants}: systemd's own
 * directories first, one path, then the denying directive one step weaker), choosing among the changes that work the
 * lowest exposure, then the fewest writable paths, then the first in order. Deterministic: sorted maps and lists
 * only, the same inputs give the same answer.
 */
public final class Recommender {

    /** More rounds than any manifest needs (one per denied need, a few for start-up); a bound, not a tuning knob. */
    private static final int MAX_ROUNDS = 256;

    private final HostView host;

    public Recommender(HostView host) {
        this.host = host;
    }

    /**
     * The recommendation for {@code unit} (as loaded) and {@code needs}, verified statically.
     *
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public Recommendation recommend(EffectiveUnit unit, Requirements needs) throws UnknownIdentity {
        Baseline.Result base = Baseline.of(unit, host, needs);
        Trials trials = new Trials(host, unit, needs);
        Search search = new Search(trials, base.set());
        search.run();
        DirectiveSet set = Pruning.prune(search.state(), unit);
        Trials.Trial last = trials.run(set);
        List<Rejected> rejected = new ArrayList<>(base.rejected());
        rejected.addAll(search.relaxed());
        rejected.addAll(Pruning.unmodelled());
        return new Recommendation(unit.name(), set, new Recommendation.Exposure(
                SecurityAssessor.assess(unit).exposure(), last.exposure()), "static",
                explanations(set, base, search, last.verdict(), needs), rejected, unmet(last.verdict()), null);
    }

    private static List<Explanation> explanations(DirectiveSet set, Baseline.Result base, Search search,
                                                  Verdict verdict, Requirements needs) {
        int met = (int) verdict.requirements().stream().filter(RequirementVerdict::ok).count();
        String evidence = "static check: " + (verdict.startup().ok() ? "the service starts" : "start-up fails")
                + ", " + met + " of " + verdict.requirements().size() + " needs met";
        Map<String, List<String>> granted = search.grantedBy();
        List<Explanation> out = new ArrayList<>();
        set.values().forEach((key, values) -> {
            List<String> shown = values.stream().filter(v -> !v.isEmpty()).toList();
            for (String value : new TreeSet<>(shown)) {
                String edit = key + "=" + value;
                List<String> reasons = granted.getOrDefault(edit, List.of());
                if (!reasons.isEmpty()) {
                    out.add(new Explanation(key, value, String.join("; ", reasons), evidence(edit, search,
                            verdict)));
                }
            }
            if (shown.stream().allMatch(v -> granted.containsKey(key + "=" + v)) && !shown.isEmpty()) {
                return;
            }
            String value = shown.stream().filter(v -> !granted.containsKey(key + "=" + v))
                    .reduce((a, b) -> a + " " + b).orElse("");
            String why = base.why().getOrDefault(key, "");
            String relaxed = search.relaxedWhy().get(key);
            out.add(new Explanation(key, value, relaxed != null ? relaxed : why.isEmpty()
                    ? "keeps the unit's own value in force" : why, evidence));
        });
        return out;
    }

    private static String evidence(String edit, Search search, Verdict verdict) {
        List<Integer> indexes = search.grantIndexes().getOrDefault(edit, List.of());
        List<String> reasons = new ArrayList<>();
        for (int i : indexes) {
            if (i < verdict.requirements().size()) {
                RequirementVerdict r = verdict.requirements().get(i);
                reasons.add("static check: " + r.path() + " " + r.access() + " " + (r.ok() ? "granted" : "denied")
                        + (r.reason() == null ? "" : " (" + r.reason() + ")"));
            }
        }
        return String.join("; ", reasons);
    }

    private static List<Unmet> unmet(Verdict verdict) {
        List<Unmet> out = new ArrayList<>();
        if (!verdict.startup().ok()) {
            out.add(new Unmet("start-up", "", verdict.startup().exitStatus() + "/" + verdict.startup()
                    .exitStatusName(), verdict.startup().reason()));
        }
        verdict.requirements().stream().filter(r -> !r.ok())
                .forEach(r -> out.add(new Unmet(r.path(), r.access(), r.deniedBy(), r.reason())));
        return out;
    }

    static int maxRounds() {
        return MAX_ROUNDS;
    }
}
