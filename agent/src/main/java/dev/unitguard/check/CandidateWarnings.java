package dev.unitguard.check;

import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.exposure.SecurityCheckResult;
import dev.unitguard.host.HostView;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DirectiveValues;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code check} answer's warnings about candidate directives that would change nothing or loosen the unit, one
 * per directive: the directive, what it would do, and why it has no effect or what it takes away.
 * <ul>
 *   <li>a setting already in force: the unit's own value, or systemd's default ({@code PrivateTmp=no} on a unit
 *       without PrivateTmp=);</li>
 *   <li>a setting {@code DynamicUser=yes} forces on (systemd.exec(5): RemoveIPC=, PrivateTmp=, NoNewPrivileges=,
 *       RestrictSUIDSGID= "cannot be turned off"; ProtectSystem=strict and ProtectHome=read-only replace only "no");</li>
 *   <li>a setting that raises a check of the exposure score ({@code ProtectSystem=no} over {@code strict}): named
 *       with the check's words before and after;</li>
 *   <li>{@code ReadWritePaths=} under which nothing is read-only: systemd keeps the entry (it mounts the path onto
 *       itself, and a missing path without {@code -} still fails the start) but no access changes;</li>
 *   <li>a path with {@code -} that does not exist under the root: systemd skips it.</li>
 * </ul>
 * Each directive is judged alone, on the unit without the rest of the candidate.
 */
final class CandidateWarnings {

    /** Sandbox booleans whose default is "no" (systemd.exec(5)); a value that is no boolean is compared as written. */
    private static final Set<String> BOOLEANS = Set.of("PrivateDevices", "PrivateMounts", "PrivateNetwork",
            "PrivateTmp", "PrivateUsers", "PrivateIPC", "ProtectControlGroups", "ProtectKernelModules",
            "ProtectKernelTunables", "ProtectKernelLogs", "ProtectClock", "ProtectHostname", "LockPersonality",
            "MemoryDenyWriteExecute", "NoNewPrivileges", "RemoveIPC", "RestrictRealtime", "RestrictSUIDSGID",
            "DynamicUser");
    /** Defaults of the other single-valued sandbox settings. */
    private static final Map<String, String> DEFAULTS = Map.of("ProtectSystem", "no",
            "ProtectHome", "no", "ProtectProc", "default", "ProcSubset", "all");
    /** What DynamicUser=yes turns on whatever the unit says. */
    private static final Set<String> FORCED_BY_DYNAMIC_USER = Set.of("RemoveIPC", "PrivateTmp", "NoNewPrivileges",
            "RestrictSUIDSGID");
    /** Path lists whose "-" entries are skipped when missing. */
    private static final Set<String> PATH_LISTS = Set.of("ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
            "ExecPaths", "NoExecPaths");

    private CandidateWarnings() {
    }

    /** The warnings for {@code candidate} on {@code unit}, then {@code others}. */
    static List<String> prepend(HostView host, EffectiveUnit unit, List<Assignment> candidate, List<String> others) {
        ExposureReport before;
        try {
            before = SecurityAssessor.assess(unit);
        } catch (SecurityAssessmentException e) {
            before = null;
        }
        return prepend(host, unit, before, null, candidate, others);
    }

    /**
     * The same, with the unit's exposure already assessed ({@code before}; null when it cannot be) and, when known,
     * that of the unit with the whole candidate ({@code after}; null when not assessed): a candidate of one
     * directive is then not assessed again.
     */
    static List<String> prepend(HostView host, EffectiveUnit unit, ExposureReport before, ExposureReport after,
                                List<Assignment> candidate, List<String> others) {
        List<String> out = new ArrayList<>();
        ExposureReport alone = candidate.size() == 1 ? after : null;
        for (Assignment a : candidate) {
            if (!a.isReset()) {
                warning(host, unit, before, alone, a).ifPresent(out::add);
            }
        }
        out.addAll(others);
        return out;
    }

    private static Optional<String> warning(HostView host, EffectiveUnit unit, ExposureReport before,
                                            ExposureReport alone, Assignment a) {
        String key = a.key();
        String said = key + "=" + a.value();
        if (FORCED_BY_DYNAMIC_USER.contains(key) && Boolean.FALSE.equals(bool(a.value())) && dynamicUser(unit)) {
            return Optional.of(said + " has no effect: it would turn " + key + "= off, but DynamicUser=yes implies "
                    + key + "= and it cannot be turned off");
        }
        if (BOOLEANS.contains(key) || DEFAULTS.containsKey(key)) {
            Optional<Assignment> now = unit.last(a.section(), key);
            String current = now.map(Assignment::value).orElse(DEFAULTS.getOrDefault(key, "no"));
            if (same(current, a.value())) {
                return Optional.of(said + " has no effect: " + key + "= is already " + current
                        + now.map(n -> " (" + n.location() + ")").orElse(" (systemd's default)"));
            }
        }
        Optional<String> loosening = before == null ? Optional.empty() : loosening(unit, before, alone, a);
        if (loosening.isPresent()) {
            return loosening;
        }
        if (PATH_LISTS.contains(key)) {
            return paths(host, unit, a);
        }
        return Optional.empty();
    }

    /**
     * The checks of the exposure score that the setting makes worse, in systemd's words; {@code alone} is the unit
     * with only this setting when already assessed, else null.
     */
    private static Optional<String> loosening(EffectiveUnit unit, ExposureReport before, ExposureReport alone,
                                              Assignment a) {
        if (!SecurityAssessor.reads(a.key())) {
            return Optional.empty(); // a setting the score does not read leaves every check as it was
        }
        ExposureReport after = alone;
        try {
            after = after != null ? after : SecurityAssessor.assess(unit.withCandidate(List.of(a)));
        } catch (SecurityAssessmentException e) {
            return Optional.empty();
        }
        List<String> worse = new ArrayList<>();
        for (int i = 0; i < before.checks().size(); i++) {
            SecurityCheckResult was = before.checks().get(i);
            SecurityCheckResult is = after.checks().get(i);
            if (badness(is) > badness(was)) {
                worse.add(is.id() + " \"" + words(was) + "\" becomes \"" + words(is) + "\"");
            }
        }
        if (worse.isEmpty()) {
            return Optional.empty();
        }
        String replaces = unit.last(a.section(), a.key()).map(n -> "it would replace " + a.key() + "=" + n.value()
                + " (" + n.location() + ")").orElse("it would be added");
        return Optional.of(a.key() + "=" + a.value() + " loosens the unit: " + replaces + "; " + String.join(", ", worse)
                + " (exposure " + before.exposure().toPlainString() + " -> " + after.exposure().toPlainString() + ")");
    }

    /** ReadWritePaths= with nothing read-only above it; "-" paths that do not exist. */
    private static Optional<String> paths(HostView host, EffectiveUnit unit, Assignment a) {
        List<String> notes = new ArrayList<>();
        List<String> entries;
        try {
            entries = Words.split(a.value());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        EffectiveUnit changed = unit.withCandidate(List.of(a));
        for (String entry : entries) {
            String path = entry.replaceFirst("^[-+]*", "");
            if (!path.startsWith("/") || path.contains("%")) {
                continue;
            }
            if (entry.startsWith("-") && host.stat(path).isEmpty()) {
                notes.add(path + " does not exist under the root and \"-\" makes systemd skip it");
            } else if (a.key().equals("ReadWritePaths") && ReadOnlySources.none(changed, path)) {
                notes.add("it would make " + path + " writable, but nothing in the unit makes it read-only "
                        + "(ProtectSystem=, ProtectHome=read-only, ReadOnlyPaths=), so no access changes"
                        + (entry.startsWith("-") ? "" : "; a missing " + path + " still fails the start with "
                        + "226/NAMESPACE (write -" + path + " to skip it)"));
            }
        }
        return notes.isEmpty() ? Optional.empty()
                : Optional.of(a.key() + "=" + a.value() + " has no effect: " + String.join("; ", notes));
    }

    static boolean dynamicUser(EffectiveUnit unit) {
        return unit.value("Service", "DynamicUser").map(v -> Boolean.TRUE.equals(bool(v))).orElse(false);
    }

    private static boolean same(String current, String candidate) {
        Boolean a = bool(current);
        Boolean b = bool(candidate);
        if (a != null && b != null) {
            return a.equals(b);
        }
        return current.strip().toLowerCase(Locale.ROOT).equals(candidate.strip().toLowerCase(Locale.ROOT));
    }

    private static Boolean bool(String value) {
        return DirectiveValues.parseBoolean(value);
    }

    private static long badness(SecurityCheckResult c) {
        return c.badness() == null ? 0 : c.badness();
    }

    private static String words(SecurityCheckResult c) {
        return c.description() != null ? c.description() : "badness " + c.badness() + "/" + c.range();
    }
}
