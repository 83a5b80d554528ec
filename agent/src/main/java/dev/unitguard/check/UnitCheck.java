package dev.unitguard.check;

import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One "will these candidate directives still let my service work?" question and its answer: the static verdict of
 * the unit with the candidate layered on top as a drop-in, and its exposure before and after. The CLI's
 * {@code check --json} and the agent's check route both serialise {@link Report}.
 */
public final class UnitCheck {

    private final StaticEvaluator evaluator;

    public UnitCheck(StaticEvaluator evaluator) {
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    }

    public Report run(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements) {
        EffectiveUnit changed = unit.withCandidate(candidate);
        Verdict verdict = evaluator.evaluate(changed, requirements);
        Exposure exposure = new Exposure(
                SecurityAssessor.assess(unit).exposure(), SecurityAssessor.assess(changed).exposure());
        List<String> warnings = changed.warnings().stream().map(Object::toString).toList();
        return new Report(unit.name(), verdict.ok(), verdict.startup(), verdict.requirements(), exposure, warnings);
    }

    /** Exposure scores as systemd-analyze security would print them, without and with the candidate. */
    public record Exposure(BigDecimal before, BigDecimal after) {
    }

    /** The answer to one check, in the field order of the documented JSON. */
    public record Report(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                         Exposure exposure, List<String> warnings) {
        public Report {
            requirements = List.copyOf(requirements);
            warnings = List.copyOf(warnings);
        }
    }
}
