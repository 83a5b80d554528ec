package dev.unitguard.check;

import dev.unitguard.host.HostView;
import dev.unitguard.perms.Finding;
import dev.unitguard.perms.PermissionChecker;
import dev.unitguard.perms.PermissionReport;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.util.List;

/**
 * The answer of {@code check}, the same for the CLI's {@code check --json} and the agent's check route:
 * {@link UnitCheck.Report}'s fields, then the permission {@code findings}. {@code ok} stays the sandbox's answer
 * (would the service start and reach its paths); the findings are reported beside it.
 */
public record CheckReport(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                          UnitCheck.Exposure exposure, List<Finding> findings, List<String> warnings) {

    public CheckReport {
        requirements = List.copyOf(requirements);
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
    }

    /**
     * Checks {@code unit} with {@code candidate} layered on top: the static verdict, the exposure before and after,
     * and the permission findings for the changed unit.
     *
     * @throws IllegalArgumentException when the requirements name a user or group the host does not know
     */
    public static CheckReport run(HostView host, EffectiveUnit unit, List<Assignment> candidate,
                                  Requirements requirements) {
        UnitCheck.Report check = new UnitCheck(new StaticEvaluator(host)).run(unit, candidate, requirements);
        return of(check, new PermissionChecker(host).check(unit.withCandidate(candidate), requirements));
    }

    /**
     * This report for a candidate of which systemd would ignore some values: not ok, whatever the sandbox says,
     * with one warning per ignored value first ({@code systemd would ignore ProtectSystem=banana and run without
     * it (...)}); the rest of the report describes the service as systemd would run it, without those values.
     */
    public CheckReport withIgnoredValues(List<String> ignored) {
        if (ignored.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(ignored);
        all.addAll(warnings);
        return new CheckReport(unit, false, startup, requirements, exposure, findings, all);
    }

    public static CheckReport of(UnitCheck.Report check, PermissionReport permissions) {
        return new CheckReport(check.unit(), check.ok(), check.startup(), check.requirements(), check.exposure(),
                permissions.findings(), check.warnings());
    }
}
