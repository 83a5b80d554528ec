package dev.unitguard.cli;

import dev.unitguard.sandbox.ExposureReport;
import dev.unitguard.sandbox.SecurityAssessmentException;
import dev.unitguard.sandbox.SecurityAssessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code unitguard score}: the exposure score of each unit file, as {@code systemd-analyze security} computes it. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Prints the exposure score of each unit (as systemd-analyze security --offline=true does).")
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    UnitSource source;

    @Option(names = "--json", description = "Print a JSON array with every check's contribution.")
    boolean json;

    @Option(names = "--threshold", paramLabel = "N",
            description = "Exit 1 when a unit's exposure is above N (0.0-10.0), as systemd-analyze security --threshold.")
    java.math.BigDecimal threshold;

    @Parameters(paramLabel = "UNIT_FILE", arity = "1..*", description = "Unit files to score.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ExposureReport> reports = new ArrayList<>();
        int status = 0;
        for (Path file : files) {
            try {
                reports.add(SecurityAssessor.assess(source.load(file)));
            } catch (InputException | SecurityAssessmentException e) {
                err.println("unitguard: " + e.getMessage());
                status = Main.EXIT_USAGE;
            }
        }
        if (json) {
            out.println(Json.write(reports));
        } else if (!reports.isEmpty()) {
            TextTable table = new TextTable("UNIT", "EXPOSURE", "PREDICATE");
            reports.forEach(r -> table.row(r.unit(), r.exposure().toPlainString(), r.predicate()));
            table.print(out, "");
        }
        if (status == 0 && threshold != null) {
            for (ExposureReport r : reports) {
                if (r.exposure().compareTo(threshold) > 0) {
                    err.println("unitguard: " + r.unit() + ": exposure " + r.exposure().toPlainString()
                            + " is above the threshold " + threshold.toPlainString());
                    status = 1;
                }
            }
        }
        return status;
    }
}
