package dev.unitguard.perms;

import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.UnitCheck;
import java.util.List;

/**
 * The answer of {@code check} with the permission findings added: {@link UnitCheck.Report}'s fields, then
 * {@code findings}. It lives here because {@code sandbox} may not know {@code perms}; {@code ok} stays the
 * sandbox's answer (would the service start and reach its paths), the findings are reported beside it.
 */
public record CheckReport(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                          UnitCheck.Exposure exposure, List<Finding> findings, List<String> warnings) {

    public CheckReport {
        requirements = List.copyOf(requirements);
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
    }

    public static CheckReport of(UnitCheck.Report check, PermissionReport permissions) {
        return new CheckReport(check.unit(), check.ok(), check.startup(), check.requirements(), check.exposure(),
                permissions.findings(), check.warnings());
    }
}
