package dev.unitguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.json.Json;
import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unitguard score}: the exposure score of each unit file, as {@code systemd-analyze security} computes it. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Prints the exposure score of each unit (as systemd-analyze security --offline=true of the "
                + "modelled systemd release does).")
final class ScoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    UnitSource source;

    @Option(names = "--json", description = "Print a JSON array with every check's contribution.")
    boolean json;

    @Option(names = "--systemd-version", paramLabel = "N", description = "The systemd release to model (252, 257, "
            + "262; others map to the nearest lower one). Default: the one installed under --root, from its "
            + "libsystemd-shared-NNN.so.")
    String systemdVersion;

    @Option(names = "--threshold", paramLabel = "N",
            description = "Exit 1 when a unit's exposure is above N (0.0-10.0), as systemd-analyze security --threshold.")
    java.math.BigDecimal threshold;

    @Parameters(paramLabel = "UNIT_FILE", arity = "1..*", description = "Unit files to score.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SystemdVersion.Modelled modelled = modelled();
        modelled.warning().ifPresent(w -> err.println("unitguard: warning: " + w));
        SystemdVersion model = modelled.model();
        List<ExposureReport> reports = new ArrayList<>();
        int status = 0;
        for (Path file : files) {
            try {
                reports.add(SecurityAssessor.assess(source.load(file), model));
            } catch (InputException | SecurityAssessmentException e) {
                err.println("unitguard: " + e.getMessage());
                status = Main.EXIT_USAGE;
            }
        }
        if (json) {
            ArrayNode array = Json.mapper().createArrayNode();
            for (ExposureReport report : reports) {
                ObjectNode node = array.addObject().put("systemdVersion", model.number()).put("mode", "offline");
                node.setAll((ObjectNode) Json.mapper().valueToTree(report));
            }
            out.println(Json.write(array));
        } else if (!reports.isEmpty()) {
            out.println("systemd " + model + ", offline (as systemd-analyze security --offline=true)");
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

    /** The release to model: --systemd-version, else the one under --root, else 252 (with a warning). */
    private SystemdVersion.Modelled modelled() {
        if (systemdVersion != null) {
            try {
                return SystemdVersion.parse(systemdVersion).modelled();
            } catch (IllegalArgumentException e) {
                throw new InputException("--systemd-version: " + e.getMessage());
            }
        }
        try {
            // A missing --root is reported by the unit loader. A supported "actual" with a warning is the 252
            // stand-in for a root without systemd: say how to choose another.
            SystemdVersion.Modelled installed = SystemdVersion.installedUnder(source.root);
            return new SystemdVersion.Modelled(installed.actual(), installed.model(), installed.warning()
                    .map(w -> installed.actual().supported() ? w + " (give --systemd-version)" : w));
        } catch (IOException e) {
            throw new InputException("--root " + source.root + ": cannot read the systemd version: " + e.getMessage());
        }
    }
}
