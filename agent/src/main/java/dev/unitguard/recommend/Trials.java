package dev.unitguard.recommend;

import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.Identities;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the static check and the exposure score about one unit with more directives layered on top, remembering each
 * answer (the search asks about the same set more than once). Who the service runs as is resolved once: the search
 * never changes {@code User=}, {@code Group=} or {@code DynamicUser=}.
 */
final class Trials {

    /** The static verdict and the exposure of the unit with a set. */
    record Trial(Verdict verdict, BigDecimal exposure) {
    }

    private final HostView host;
    private final EffectiveUnit unit;
    private final Requirements needs;
    private final Identities identities;
    private final Map<List<Directive>, Trial> seen = new HashMap<>();

    /** @throws UnknownIdentity when the requirements name a user or group the host does not know */
    Trials(HostView host, EffectiveUnit unit, Requirements needs) throws UnknownIdentity {
        this.host = host;
        this.unit = unit;
        this.needs = needs;
        this.identities = Identities.resolve(unit, host, needs);
    }

    EffectiveUnit unit() {
        return unit;
    }

    Requirements needs() {
        return needs;
    }

    HostView host() {
        return host;
    }

    /** The unit with {@code set} layered on top as a drop-in. */
    Trial run(DirectiveSet set) {
        return seen.computeIfAbsent(set.directives(), d -> {
            List<Assignment> candidate = set.assignments(unit);
            EffectiveUnit changed = unit.withCandidate(candidate);
            return new Trial(new StaticEvaluator(host).evaluate(changed, needs, identities),
                    SecurityAssessor.assess(changed).exposure());
        });
    }
}
