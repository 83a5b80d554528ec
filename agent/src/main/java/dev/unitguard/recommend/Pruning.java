package dev.unitguard.recommend;

import dev.unitguard.recommend.Recommendation.Rejected;
import dev.unitguard.unit.EffectiveUnit;
import java.util.List;

/**
 * The set as it is shown and applied: without what changes nothing for this unit (a directive at systemd's default
 * the unit does not set; a leading reset of a list the unit does not set), so every line of the drop-in does something.
 */
final class Pruning {

    private Pruning() {
    }

    static DirectiveSet prune(DirectiveSet set, EffectiveUnit unit) {
        DirectiveSet out = set;
        for (var e : set.values().entrySet()) {
            String key = e.getKey();
            List<String> values = e.getValue();
            boolean own = !unit.assignments("Service", key).isEmpty();
            if (own) {
                continue;
            }
            if (values.size() == 1 && Ladders.has(key) && values.get(0).equals(Ladders.weakest(key))) {
                out = out.without(key);
            } else if (values.equals(List.of("")) && !key.equals("CapabilityBoundingSet")) {
                out = out.without(key);
            } else if (values.size() > 1 && values.get(0).isEmpty()) {
                out = out.with(key, values.subList(1, values.size()));
            }
        }
        return out;
    }

    /** Stronger settings the search does not try, because the static check cannot judge them. */
    static List<Rejected> unmodelled() {
        return List.of(
                new Rejected("PrivateUsers", "yes", "not modelled by the static check: in a user namespace every "
                        + "account but root and the service's own shows as nobody, so group and other access to the "
                        + "needed paths could change"),
                new Rejected("DynamicUser", "yes", "changes who the service runs as: files the manifest needs "
                        + "that User= owns would no longer be the service's"));
    }
}
