package dev.unitguard.recommend;

import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code check} offers for each need it denies: the smallest directive changes that grant it ({@link Grants}),
 * each re-evaluated by the static check on the unit as checked, offered only when the service still starts, the need
 * is met and no need met before is lost; the lowest exposure first, then the fewest writable paths, at most
 * {@value #MAX_PER_NEED} per need.
 */
public final class Suggestions {

    static final int MAX_PER_NEED = 3;

    /**
     * Directive changes that grant the denied need at {@code requirement} (its index in the check's list), to add to
     * the candidate's {@code set}; {@code note} says what else the change does (empty when nothing).
     */
    public record Suggestion(int requirement, String path, String access, Map<String, Object> set, String note) {
    }

    private record Offer(Suggestion suggestion, BigDecimal exposure, int writable, int order) {
    }

    private Suggestions() {
    }

    /**
     * The suggestions for every need {@code verdict} denies, in need order.
     *
     * @param changed the unit as checked (the candidate already layered on top)
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public static List<Suggestion> of(HostView host, EffectiveUnit changed, Requirements needs, Verdict verdict)
            throws UnknownIdentity {
        if (verdict.ok() || !verdict.startup().ok()) {
            return List.of();
        }
        Trials trials = new Trials(host, changed, needs);
        Grants grants = new Grants(host, changed);
        List<Suggestion> out = new ArrayList<>();
        for (int i = 0; i < verdict.requirements().size(); i++) {
            RequirementVerdict r = verdict.requirements().get(i);
            if (!r.ok()) {
                out.addAll(forNeed(trials, grants, needs, verdict, i));
            }
        }
        return out;
    }

    private static List<Suggestion> forNeed(Trials trials, Grants grants, Requirements needs, Verdict verdict,
                                            int index) {
        RequirementVerdict r = verdict.requirements().get(index);
        List<PathRequirement> paths = needs.paths();
        int device = index - paths.size();
        boolean isDevice = device >= 0 && device < needs.devices().size();
        String path = index < paths.size() ? paths.get(index).path() : isDevice ? needs.devices().get(device) : "";
        String access = index < paths.size() ? Grants.letters(paths.get(index).access()) : r.access();
        String key = Ladders.key(r.deniedBy());
        List<Grant> candidates = grants.candidates(r, path, access, isDevice, current(trials.unit(), key));
        List<Offer> offers = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            Grant g = candidates.get(c);
            DirectiveSet set = DirectiveSet.empty().apply(g);
            Trials.Trial t;
            try {
                t = trials.run(set);
            } catch (DropInDirectives.RejectedException e) {
                continue;
            }
            if (grants(verdict, t.verdict(), index)) {
                offers.add(new Offer(new Suggestion(index, r.path(), r.access(), g.json(), g.note()), t.exposure(),
                        set.writablePaths(), c));
            }
        }
        return offers.stream().sorted(Comparator.comparing(Offer::exposure).thenComparingInt(Offer::writable)
                .thenComparingInt(Offer::order)).limit(MAX_PER_NEED).map(Offer::suggestion).toList();
    }

    private static boolean grants(Verdict before, Verdict after, int index) {
        if (!after.startup().ok() || !after.requirements().get(index).ok()) {
            return false;
        }
        for (int j = 0; j < before.requirements().size(); j++) {
            if (before.requirements().get(j).ok() && !after.requirements().get(j).ok()) {
                return false;
            }
        }
        return true;
    }

    /** The value of a ladder setting in force, as the ladder spells it ({@code yes} for {@code true}). */
    static String current(EffectiveUnit unit, String key) {
        String v = unit.value("Service", key).map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse(null);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "1", "y", "true", "t", "on" -> "yes";
            case "0", "n", "false", "f", "off" -> "no";
            default -> v;
        };
    }
}
