package dev.unitguard.recommend;

import dev.unitguard.recommend.Recommendation.Rejected;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.unit.DropInDirectives;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** One run of the search of {@link Recommender}: the set so far and what each change was for. */
final class Search {

    /** A need as the manifest states it: a path (or device) and its access; empty path for other needs. */
    private record Need(String path, String access, boolean device, String label) {
    }

    /** A change tried: the set it gives, its exposure, writable paths and place in the order of candidates. */
    private record Tried(DirectiveSet set, Grant grant, BigDecimal exposure, boolean weakens, int writable,
                         int order) {
    }

    /** The lowest exposure; at equal exposure (scores are rounded to tenths) a grant before a weakening. */
    private static final Comparator<Tried> BEST = Comparator.comparing(Tried::exposure)
            .thenComparing(Tried::weakens).thenComparingInt(Tried::writable).thenComparingInt(Tried::order);

    private final Trials trials;
    private DirectiveSet state;
    private final Set<Integer> unmet = new TreeSet<>();
    private final List<Rejected> relaxed = new ArrayList<>();
    private final Map<String, String> relaxedWhy = new TreeMap<>();
    private final Map<String, List<String>> grantedBy = new TreeMap<>();
    private final Map<String, List<Integer>> grantIndexes = new TreeMap<>();

    Search(Trials trials, DirectiveSet start) {
        this.trials = trials;
        this.state = start;
    }

    void run() {
        for (int round = 0; round < Recommender.maxRounds(); round++) {
            Verdict v = trials.run(state).verdict();
            if (!v.startup().ok()) {
                if (!fixStartup(v)) {
                    return;
                }
                continue;
            }
            int denied = -1;
            for (int i = 0; i < v.requirements().size(); i++) {
                if (!v.requirements().get(i).ok() && !unmet.contains(i)) {
                    denied = i;
                    break;
                }
            }
            if (denied < 0) {
                return;
            }
            if (!grant(denied, v)) {
                unmet.add(denied);
            }
        }
    }

    private boolean grant(int index, Verdict before) {
        RequirementVerdict r = before.requirements().get(index);
        Need need = need(index, r);
        String key = Ladders.key(r.deniedBy());
        String current = state.value(key);
        Grants grants = new Grants(trials.host(), trials.unit().withCandidate(state.assignments(trials.unit())));
        List<Grant> candidates = grants.candidates(r, need.path(), need.access(), need.device(), current);
        List<Tried> working = new ArrayList<>();
        List<Rejected> failed = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            Grant g = candidates.get(c);
            DirectiveSet next = state.apply(g);
            Trials.Trial t;
            try {
                t = trials.run(next);
            } catch (DropInDirectives.RejectedException e) {
                continue; // a value this release would not take
            }
            Verdict after = t.verdict();
            String broken = broken(before, after, index, need);
            if (broken == null) {
                working.add(new Tried(next, g, t.exposure(), weakens(g), next.writablePaths(), c));
            } else if (g.edits().size() == 1 && !g.edits().get(0).append()) {
                failed.add(new Rejected(key, g.edits().get(0).value(), broken));
            }
        }
        if (working.isEmpty()) {
            return false;
        }
        Tried best = working.stream().min(BEST).orElseThrow();
        for (Rejected f : failed) {
            if (Ladders.weaker(key, f.value()).contains(best.set().value(key))) {
                relaxed.add(f);
            }
        }
        record(best.grant(), index, need, r);
        state = best.set();
        return true;
    }

    private boolean weakens(Grant g) {
        return g.edits().stream().anyMatch(e -> !e.append() && Ladders.has(e.key())
                && !e.value().equals(state.value(e.key())));
    }

    /** Null when {@code after} starts, meets need {@code index} and every need {@code before} met; else what broke. */
    private static String broken(Verdict before, Verdict after, int index, Need need) {
        if (!after.startup().ok()) {
            return "start-up would fail: " + after.startup().reason();
        }
        RequirementVerdict r = after.requirements().get(index);
        if (!r.ok()) {
            return "would deny " + need.label() + ": " + r.reason();
        }
        for (int j = 0; j < before.requirements().size(); j++) {
            RequirementVerdict lost = after.requirements().get(j);
            if (before.requirements().get(j).ok() && !lost.ok()) {
                return "would deny " + lost.path() + " " + lost.access() + ": " + lost.reason();
            }
        }
        return null;
    }

    private void record(Grant grant, int index, Need need, RequirementVerdict denied) {
        for (Grant.Edit e : grant.edits()) {
            String old = state.value(e.key());
            if (!e.append() && Ladders.has(e.key())) {
                if (old != null && !old.equals(e.value())) {
                    relaxed.add(new Rejected(e.key(), old, "would deny " + need.label() + ": " + denied.reason()));
                    relaxedWhy.put(e.key(), "weakened from " + old + ": that would deny " + need.label());
                }
                continue;
            }
            String reason = "grants " + need.label() + (grant.note().isEmpty() ? "" : "; " + grant.note());
            grantedBy.computeIfAbsent(e.toString(), k -> new ArrayList<>()).add(reason);
            grantIndexes.computeIfAbsent(e.toString(), k -> new ArrayList<>()).add(index);
        }
    }

    /**
     * Weakens one directive so that the service starts: the one the failure names ({@code (ProtectControlGroups=yes)}
     * at the end of systemd's message) when it is in the set, even if another failure follows; otherwise the first
     * whose next weaker value lets it start, the lowest exposure first.
     */
    private boolean fixStartup(Verdict v) {
        String reason = v.startup().reason() == null ? "" : v.startup().reason();
        for (String key : state.values().keySet()) {
            List<String> weaker = Ladders.weaker(key, state.value(key));
            if (reason.contains("(" + key + "=") && !weaker.isEmpty()) {
                relax(key, weaker.get(0), reason);
                return true;
            }
        }
        List<Tried> working = new ArrayList<>();
        int order = 0;
        for (String key : state.values().keySet()) {
            List<String> weaker = Ladders.weaker(key, state.value(key));
            if (weaker.isEmpty()) {
                continue;
            }
            Grant g = Grant.set(key, weaker.get(0));
            DirectiveSet next = state.apply(g);
            Trials.Trial t = trials.run(next);
            if (t.verdict().startup().ok()) {
                working.add(new Tried(next, g, t.exposure(), true, next.writablePaths(), order));
            }
            order++;
        }
        if (working.isEmpty()) {
            return false;
        }
        Grant.Edit edit = working.stream().min(BEST).orElseThrow().grant().edits().get(0);
        relax(edit.key(), edit.value(), reason);
        return true;
    }

    private void relax(String key, String weaker, String reason) {
        relaxed.add(new Rejected(key, state.value(key), "start-up would fail: " + reason));
        relaxedWhy.put(key, "weakened from " + state.value(key) + ": the service would not start");
        state = state.with(key, weaker);
    }

    private Need need(int index, RequirementVerdict r) {
        List<PathRequirement> paths = trials.needs().paths();
        if (index < paths.size()) {
            PathRequirement p = paths.get(index);
            String access = Grants.letters(p.access());
            return new Need(p.path(), access, false, p.path() + " " + access + " (paths[" + index + "])");
        }
        int device = index - paths.size();
        if (device < trials.needs().devices().size()) {
            String d = trials.needs().devices().get(device);
            return new Need(d, "rw", true, d + " (devices[" + device + "])");
        }
        return new Need("", r.access(), false, r.path() + " " + r.access());
    }

    DirectiveSet state() {
        return state;
    }

    List<Rejected> relaxed() {
        return relaxed;
    }

    Map<String, String> relaxedWhy() {
        return relaxedWhy;
    }

    Map<String, List<String>> grantedBy() {
        return grantedBy;
    }

    Map<String, List<Integer>> grantIndexes() {
        return grantIndexes;
    }
}
