package dev.unitguard.cli;

import dev.unitguard.check.CheckReport;
import dev.unitguard.json.Json;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.NeedVerdict;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives.Candidate;
import dev.unitguard.unit.DropInDirectives.IgnoredValue;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard check}: would the service still start, and reach every path it needs, with the candidate
 * directives layered on top? Exit 0 yes, 1 no (also when systemd would ignore a candidate value: the service would
 * run without it), 2 bad usage or unreadable input. The permission findings of the
 * unit (with the candidate) are printed beside the verdict; they do not change the exit status.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Checks a unit with candidate sandbox directives against a requirements manifest.")
final class CheckCommand implements Callable<Integer> {

    static final int EXIT_FAILS = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the verdict as JSON.")
    boolean json;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A candidate directive, layered on the unit as a drop-in would be (repeatable).")
    List<String> set = new ArrayList<>();

    @Mixin
    ProbedUnit input;

    @Override
    public Integer call() {
        ProbedUnit.Loaded in = input.load();
        Candidate parsed = CandidateDirectives.parse(set, in.unit().type());
        List<Assignment> candidate = parsed.assignments();
        CheckReport report = input.known(() -> CheckReport.run(in.host(), in.unit(), candidate, in.requirements())
                .withIgnoredValues(parsed.ignored().stream().map(IgnoredValue::describe).toList()));
        PrintWriter out = spec.commandLine().getOut();
        if (input.probing()) {
            CheckReport probed = report.withProbe(input.probe(in, candidate));
            if (json) {
                out.println(Json.write(probed));
            } else {
                printHuman(out, report);
                printProbe(out, probed.probed().probe());
            }
            return probed.ok() ? 0 : EXIT_FAILS;
        }
        if (json) {
            out.println(Json.write(report));
        } else {
            printHuman(out, report);
        }
        return report.ok() ? 0 : EXIT_FAILS;
    }

    private static void printHuman(PrintWriter out, CheckReport report) {
        out.println(report.unit() + ": " + (report.ok() ? "OK, the service would start and reach every path"
                : "NOT OK"));
        StartupVerdict startup = report.startup();
        out.println("  startup: " + (startup.ok() ? "ok"
                : "fails with status " + startup.exitStatus() + "/" + startup.exitStatusName() + ": "
                + startup.reason()));
        if (!report.requirements().isEmpty()) {
            TextTable table = new TextTable("PATH", "ACCESS", "RESULT", "DENIED BY", "REASON");
            for (RequirementVerdict r : report.requirements()) {
                table.row(r.path(), r.access(), r.ok() ? "ok" : "DENIED", r.deniedBy(), r.reason());
            }
            table.print(out, "  ");
        }
        if (!report.needs().isEmpty()) {
            TextTable table = new TextTable("NEED", "RESULT", "DENIED BY", "REASON");
            for (NeedVerdict n : report.needs()) {
                table.row(n.need(), n.ok() ? "ok" : "DENIED", n.deniedBy(), n.reason());
            }
            table.print(out, "  ");
        }
        report.suggestions().forEach(s -> out.println("  to grant " + s.path() + " " + s.access() + ": " + s.set()
                .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).reduce((a, b) -> a + " " + b)
                .orElse("") + (s.note().isEmpty() ? "" : " (" + s.note() + ")")));
        out.println("  exposure: " + report.exposure().before() + " -> " + report.exposure().after());
        PermsText.findings(out, report.findings());
        report.warnings().forEach(w -> out.println("  warning: " + w));
    }

    static void printProbe(PrintWriter out, ProbeResult probe) {
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
        if (!probe.needs().isEmpty()) {
            TextTable table = new TextTable("NEED", "OBSERVED", "SEEN");
            for (ProbeResult.Need n : probe.needs()) {
                table.row(n.need(), n.ok() ? "ok" : "DENIED", n.seen());
            }
            table.print(out, "  ");
        }
        probe.notSeen().forEach(n -> out.println("  not seen by the probe: " + n));
    }
}
