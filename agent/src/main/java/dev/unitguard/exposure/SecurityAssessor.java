package dev.unitguard.exposure;

import dev.unitguard.exposure.SecurityCheck.Assessment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exposure score of {@code systemd-analyze security --offline=true} of a supported systemd release (252 unless
 * told): the same checks ({@link SecurityChecks}), the release's weights and ranges ({@link SecurityProfile}) and
 * systemd's formula. A check with badness b adds ceil(b * weight / range) to the sum and
 * its weight to the weight total, unless it does not apply; the score is ceil(sum * 100 / total) tenths.
 */
public final class SecurityAssessor {

    private static final String SPECIAL_BOOT_PHASE = "Service runs in special boot phase, option is not appropriate";

    private SecurityAssessor() {
    }

    /**
     * Scores a unit as {@code systemd-analyze security --offline=true} of the systemd the unit was loaded for does
     * ({@link EffectiveUnit#systemd()}).
     *
     * @throws SecurityAssessmentException when a setting would make systemd refuse to load the unit
     */
    public static ExposureReport assess(EffectiveUnit unit) {
        return assess(unit, unit.systemd());
    }

    /**
     * Scores a unit as {@code systemd-analyze security --offline=true} of {@code version} does; an unsupported
     * version is scored as {@link SystemdVersion#modelled()} says (the caller prints its warning).
     *
     * @throws SecurityAssessmentException when a setting would make systemd refuse to load the unit
     */
    public static ExposureReport assess(EffectiveUnit unit, SystemdVersion version) {
        SecurityProfile profile = SecurityProfile.of(version);
        SecurityInfo info = SecurityInfoReader.read(unit, profile);
        List<SecurityCheck> checks = profile.checks();
        List<Assessment> assessments = new ArrayList<>();
        long badnessSum = 0;
        long weightSum = 0;
        for (SecurityCheck check : checks) {
            Assessment a = check.defaultDependenciesOnly() && !info.defaultDependencies
                    ? new Assessment(null, SPECIAL_BOOT_PHASE)
                    : check.assess().apply(info, check);
            assessments.add(a);
            if (a.badness() != null) {
                badnessSum += divRoundUp(a.badness() * check.weight(), check.range());
                weightSum += check.weight();
            }
        }
        List<SecurityCheckResult> results = new ArrayList<>();
        for (int n = 0; n < checks.size(); n++) {
            results.add(result(checks.get(n), assessments.get(n), weightSum));
        }
        long exposure = divRoundUp(badnessSum * 100, weightSum);
        return new ExposureReport(info.id, BigDecimal.valueOf(exposure, 1), predicate(exposure), results,
                profile.version(), unit.isLive());
    }

    /** The checks of {@code version}'s table in table order: systemd's id of each (for example {@code PrivateNetwork=})
     * mapped to its JSON field ({@code PrivateNetwork}). */
    public static Map<String, String> checkIds(SystemdVersion version) {
        Map<String, String> ids = new LinkedHashMap<>();
        SecurityProfile.of(version).checks().forEach(c -> ids.put(c.id(), c.jsonField()));
        return Collections.unmodifiableMap(ids);
    }

    /** Whether the score reads {@code key} (of [Unit] or [Service]): a setting of another name cannot change it. */
    public static boolean reads(String key) {
        return SecurityDirectives.parser("Service", key).isPresent() || SecurityDirectives.parser("Unit", key).isPresent();
    }

    private static SecurityCheckResult result(SecurityCheck check, Assessment a, long weightSum) {
        Long badness = a.badness();
        String description;
        if (badness == null) {
            description = check.descriptionNotApplicable();
        } else if (badness == check.range()) {
            description = check.descriptionBad();
        } else if (badness == 0) {
            description = check.descriptionGood();
        } else {
            description = null;
        }
        if (a.description() != null) {
            description = a.description();
        }
        BigDecimal exposure = null;
        if (badness != null && badness != 0) {
            long x = divRoundUp(divRoundUp(badness * check.weight() * 100, check.range()), weightSum);
            exposure = BigDecimal.valueOf(x, 1);
        }
        return new SecurityCheckResult(check.id(), check.jsonField(), description, badness != null && badness == 0,
                exposure, check.weight(), check.range(), badness);
    }

    /** systemd's predicate for an exposure in tenths (0..100). */
    static String predicate(long exposure) {
        if (exposure >= 100) {
            return "DANGEROUS";
        } else if (exposure >= 90) {
            return "UNSAFE";
        } else if (exposure >= 75) {
            return "EXPOSED";
        } else if (exposure >= 50) {
            return "MEDIUM";
        } else if (exposure >= 10) {
            return "OK";
        } else if (exposure >= 1) {
            return "SAFE";
        }
        return "PERFECT";
    }

    private static long divRoundUp(long x, long y) {
        return (x + y - 1) / y;
    }
}
