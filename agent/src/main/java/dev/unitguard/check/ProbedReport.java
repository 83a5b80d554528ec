package dev.unitguard.check;

import dev.unitguard.perms.Finding;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import java.util.List;

/**
 * {@code check --probe --json} and the agent's check route with {@code "probe": true}: the offline report's fields, then the probe's. {@code ok} holds only when both the
 * static verdict and the probe say yes; {@code agree} tells whether they said the same about the start-up and
 * each requirement.
 */
public record ProbedReport(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                    UnitCheck.Exposure exposure, List<Finding> findings, List<String> warnings, ProbeResult probe,
                    boolean agree) {

    public static ProbedReport of(CheckReport report, ProbeResult probe) {
        return new ProbedReport(report.unit(), report.ok() && probe.ok(), report.startup(), report.requirements(),
                report.exposure(), report.findings(), report.warnings(), probe, agree(report, probe));
    }

    /** Same start-up outcome (and exit status), and, when both started, the same answer for every requirement. */
    static boolean agree(CheckReport report, ProbeResult probe) {
        StartupVerdict s = report.startup();
        if (s.ok() != probe.startup().ok()) {
            return false;
        }
        if (!s.ok()) {
            return s.exitStatus() == null || s.exitStatus() == probe.startup().exitStatus();
        }
        List<ProbeResult.Observation> seen = probe.requirements();
        if (seen.size() != report.requirements().size()) {
            return false;
        }
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).ok() != report.requirements().get(i).ok()) {
                return false;
            }
        }
        return true;
    }
}
