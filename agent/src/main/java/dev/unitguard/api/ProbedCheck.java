package dev.unitguard.api;

import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.UnitCheck;
import dev.unitguard.sandbox.probe.ProbeResult;
import java.util.List;

/**
 * The check body with {@code "probe": true}: the static report's fields, then the probe's, as
 * {@code unitguard check --probe --json} prints them ({@code cli.ProbedReport}; the two should become one type in
 * {@code sandbox.probe}). {@code ok} holds when both say yes; {@code agree} when they said the same about the
 * start-up and each requirement.
 */
record ProbedCheck(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                   UnitCheck.Exposure exposure, List<String> warnings, ProbeResult probe, boolean agree) {

    static ProbedCheck of(UnitCheck.Report report, ProbeResult probe) {
        return new ProbedCheck(report.unit(), report.ok() && probe.ok(), report.startup(), report.requirements(),
                report.exposure(), report.warnings(), probe, agree(report, probe));
    }

    static boolean agree(UnitCheck.Report report, ProbeResult probe) {
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
