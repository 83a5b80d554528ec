package dev.unitguard.cli;

import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.exposure.SecurityCheckResult;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code score --fail-on-predicate NAME}: what a unit must satisfy, in the words of {@code systemd-analyze
 * security}. Three kinds of name, tried in this order:
 * <ul>
 *   <li>systemd's overall word ({@code DANGEROUS UNSAFE EXPOSED MEDIUM OK SAFE PERFECT}): the unit fails when its
 *       predicate is that one or a worse one;</li>
 *   <li>a check of the modelled release's table, by its id ({@code PrivateNetwork=}, {@code SystemCallFilter=~@swap},
 *       the trailing {@code =} optional) or its JSON field ({@code SystemCallFilter_swap}): the unit fails when that
 *       check is not fully met (it applies and its badness is above 0);</li>
 *   <li>a setting {@code Key=Value} of a directive the score reads ({@code ProtectSystem=strict}): the unit fails when
 *       it scores worse on some check than it would with that line added as a drop-in, that is, when it is not at
 *       least as tight as the setting.</li>
 * </ul>
 */
sealed interface FailPredicate {

    /** systemd's predicates, worst first (src/analyze/analyze-security.c). */
    List<String> RATINGS = List.of("DANGEROUS", "UNSAFE", "EXPOSED", "MEDIUM", "OK", "SAFE", "PERFECT");

    /** The name as the user gave it. */
    String name();

    /** Why {@code unit} fails this predicate, one entry per failing check (the check's JSON field, or null). */
    List<Failure> failures(EffectiveUnit unit, ExposureReport report, SystemdVersion model);

    /**
     * One way a unit fails the gate: the predicate's name (null for --threshold), the check behind it (its JSON field;
     * null for a rating or the threshold) and why.
     */
    record Failure(String predicate, String jsonField, String reason) {
        String message() {
            return (predicate == null ? "" : "--fail-on-predicate " + predicate + ": ") + reason;
        }
    }

    /** The unit's predicate is {@code word} or worse. */
    record Rating(String name, String word) implements FailPredicate {
        @Override
        public List<Failure> failures(EffectiveUnit unit, ExposureReport report, SystemdVersion model) {
            return RATINGS.indexOf(report.predicate()) > RATINGS.indexOf(word) ? List.of()
                    : List.of(new Failure(name, null, "exposure " + report.exposure().toPlainString() + " is "
                            + report.predicate()));
        }
    }

    /** The check {@code id} of systemd's table is not fully met. */
    record Check(String name, String id, String jsonField) implements FailPredicate {
        @Override
        public List<Failure> failures(EffectiveUnit unit, ExposureReport report, SystemdVersion model) {
            return report.checks().stream().filter(c -> c.id().equals(id) && failing(c))
                    .map(c -> new Failure(name, jsonField, describe(c))).toList();
        }
    }

    /** The unit is not at least as tight, on every check, as with {@code candidate} added. */
    record Setting(String name, List<Assignment> candidate) implements FailPredicate {
        @Override
        public List<Failure> failures(EffectiveUnit unit, ExposureReport report, SystemdVersion model) {
            ExposureReport with;
            try {
                with = SecurityAssessor.assess(unit.withCandidate(candidate), model);
            } catch (SecurityAssessmentException e) {
                return List.of(new Failure(name, null, "with " + name + " added: " + e.getMessage()));
            }
            List<Failure> out = new ArrayList<>();
            for (int i = 0; i < report.checks().size(); i++) {
                SecurityCheckResult is = report.checks().get(i);
                SecurityCheckResult tight = with.checks().get(i);
                if (badness(is) > badness(tight)) {
                    out.add(new Failure(name, is.jsonField(), describe(is) + "; with " + name + ": "
                            + (tight.set() ? "met" : tight.id() + " badness " + tight.badness() + "/" + tight.range())));
                }
            }
            return out;
        }

        private static long badness(SecurityCheckResult c) {
            return c.badness() == null ? 0 : c.badness();
        }
    }

    /** A check that applies and is not fully met. */
    static boolean failing(SecurityCheckResult c) {
        return !c.notApplicable() && c.badness() > 0;
    }

    /** The check, what systemd says of it and its share of the score. */
    static String describe(SecurityCheckResult c) {
        String what = c.description() != null ? c.description() : "badness " + c.badness() + "/" + c.range();
        return c.id() + " " + what + (c.exposure() != null ? " (+" + c.exposure().toPlainString() + ")" : "");
    }

    /**
     * Reads one {@code --fail-on-predicate} name against the checks of {@code model}.
     *
     * @throws InputException naming the option and the name when it is none of the three kinds
     */
    static FailPredicate parse(String name, SystemdVersion model) {
        String option = "--fail-on-predicate " + DropInDirectives.printable(name);
        String upper = name.strip().toUpperCase(Locale.ROOT);
        if (RATINGS.contains(upper)) {
            return new Rating(name, upper);
        }
        Optional<Check> check = check(name.strip(), SecurityAssessor.checkIds(model));
        if (check.isPresent()) {
            return check.get();
        }
        int eq = name.indexOf('=');
        if (eq <= 0 || eq == name.length() - 1) {
            throw new InputException(option + ": not a predicate (" + String.join(", ", RATINGS) + "), a check of "
                    + "systemd " + model + "'s systemd-analyze security (for example PrivateNetwork or "
                    + "SystemCallFilter=~@swap) or a setting such as ProtectSystem=strict");
        }
        String key = name.substring(0, eq).strip();
        if (!SecurityAssessor.reads(key)) {
            throw new InputException(option + ": " + key + "= does not change the exposure score; name a check or a "
                    + "setting the score reads");
        }
        try {
            return new Setting(name, DropInDirectives.parse(Path.of(option), "service",
                    List.of(new Directive(key, name.substring(eq + 1).strip()))));
        } catch (DropInDirectives.RejectedException e) {
            throw new InputException(option + ": " + e.reason());
        }
    }

    private static Optional<Check> check(String name, Map<String, String> ids) {
        for (Map.Entry<String, String> e : ids.entrySet()) {
            if (e.getKey().equals(name) || e.getKey().equals(name + "=") || e.getValue().equals(name)) {
                return Optional.of(new Check(name, e.getKey(), e.getValue()));
            }
        }
        return Optional.empty();
    }
}
