package dev.unitguard.apply;

import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.PrivilegeBounds;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.exposure.SecurityCheckResult;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unit-wide half of the hardening policy: a change must not make the unit more exposed than it is without
 * unitguard's drop-in. For every caller (unless root or an administrator forces it) the exposure score of
 * {@code systemd-analyze security} must not rise; for the hardening scope, in addition, none of the score's checks
 * may get worse and neither the capability bounding set nor the system call filter may let more through
 * ({@link PrivilegeBounds}): settings that merge across lines can widen while the rounded score stays put.
 */
final class ExposureRule {

    private ExposureRule() {
    }

    /** @throws ApplyRequestException PRIVILEGE_RAISING saying what rose, UNIT_NOT_LOADABLE for a refused setting */
    static void check(EffectiveUnit before, EffectiveUnit after, Caller.Scope scope) throws ApplyRequestException {
        ExposureReport was;
        ExposureReport now;
        List<String> widened = new ArrayList<>();
        try {
            was = SecurityAssessor.assess(before);
            now = SecurityAssessor.assess(after);
            if (!scope.isAdmin()) {
                widened.addAll(PrivilegeBounds.of(before).widenedIn(PrivilegeBounds.of(after)));
            }
        } catch (SecurityAssessmentException e) {
            throw new ApplyRequestException(ApplyRequestException.Kind.UNIT_NOT_LOADABLE, e.getMessage());
        }
        List<String> worse = scope.isAdmin() ? List.of() : worse(was, now);
        boolean rose = now.exposure().compareTo(was.exposure()) > 0;
        if (!rose && worse.isEmpty() && widened.isEmpty()) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        if (rose || !worse.isEmpty()) {
            reasons.add("the exposure score would " + (rose ? "rise from " + was.exposure() + " to "
                    + now.exposure() : "stay at " + now.exposure()) + (worse.isEmpty() ? ""
                    : " with worse checks: " + String.join(", ", worse)));
        }
        reasons.addAll(widened);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("directives", List.of("set"));
        members.put("scope", scope.name().toLowerCase(java.util.Locale.ROOT));
        members.put("exposureBefore", was.exposure());
        members.put("exposureAfter", now.exposure());
        throw new ApplyRequestException(ApplyRequestException.Kind.PRIVILEGE_RAISING, "set: " + String.join("; ",
                reasons) + (scope.isAdmin() ? "; force: true applies it anyway" : ""), members);
    }

    /** The ids of the checks whose badness rose, or that started to count with a badness. */
    private static List<String> worse(ExposureReport was, ExposureReport now) {
        List<String> worse = new ArrayList<>();
        for (int i = 0; i < now.checks().size(); i++) {
            SecurityCheckResult before = was.checks().get(i);
            SecurityCheckResult after = now.checks().get(i);
            long b = before.badness() == null ? 0 : before.badness();
            if (after.badness() != null && after.badness() > b) {
                worse.add(after.id());
            }
        }
        return worse;
    }
}
