package dev.unitguard.cli;

import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.UnitCheck;
import dev.unitguard.sandbox.probe.ProbeResult;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code check --probe --json}: the offline report's fields, then the probe's. {@code ok} holds only when both the
 * static verdict and the probe say yes; {@code agree} tells whether they said the same about the start-up and
 * each requirement.
 */
record ProbedReport(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                    UnitCheck.Exposure exposure, List<String> warnings, ProbeResult probe, boolean agree) {

    static ProbedReport of(UnitCheck.Report report, ProbeResult probe) {
        return new ProbedReport(report.unit(), report.ok() && probe.ok(), report.startup(), report.requirements(),
                report.exposure(), report.warnings(), probe, agree(report, probe));
    }

    /** Same start-up outcome (and exit status), and, when both started, the same answer for every requirement. */
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

    static void printHuman(PrintWriter out, ProbeResult probe) {
        ProbeResult.Startup s = probe.startup();
        out.println("  probe " + probe.unit() + ": " + (s.ok() ? "started"
                : "failed: " + s.code() + " status " + s.exitStatus() + "/" + s.exitStatusName()
                + (s.journal() == null ? "" : ": " + s.journal())));
        if (!probe.requirements().isEmpty()) {
            TextTable table = new TextTable("PATH", "ACCESS", "OBSERVED", "ERROR");
            for (ProbeResult.Observation o : probe.requirements()) {
                table.row(o.path(), o.access(), o.ok() ? "ok" : "DENIED", o.error());
            }
            table.print(out, "  ");
        }
    }
}
