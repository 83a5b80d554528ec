package dev.unitguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.json.Json;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
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

    @Option(names = "--json", description = "Print a JSON array with every check's contribution (--format json).")
    boolean json;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), json (as --json) or sarif "
            + "(SARIF 2.1.0 for code scanning: one result per check not fully met per unit file, at its line).")
    String format;

    @Option(names = "--systemd-version", paramLabel = "N", description = "The systemd release to model (252, 257, "
            + "262; others map to the nearest lower one). Default: the one installed under --root, from its "
            + "libsystemd-shared-NNN.so.")
    String systemdVersion;

    @Option(names = "--threshold", paramLabel = "N",
            description = "Exit 1 when a unit's exposure is above N (0.0-10.0), as systemd-analyze security --threshold.")
    BigDecimal threshold;

    @Option(names = "--fail-on-predicate", paramLabel = "NAME", split = ",", description = "Exit 1 when a unit fails "
            + "NAME (repeatable): systemd's predicate (DANGEROUS, UNSAFE, EXPOSED, MEDIUM, OK, SAFE, PERFECT: that one "
            + "or worse), a check of systemd-analyze security (PrivateNetwork, SystemCallFilter=~@swap: not fully "
            + "met) or a setting (ProtectSystem=strict: the unit is less tight than with it).")
    List<String> failOnPredicate = List.of();

    @Parameters(paramLabel = "UNIT_FILE", arity = "1..*", description = "Unit files to score.")
    List<Path> files;

    /** A unit scored, and how it fails the gate (--threshold, --fail-on-predicate); empty when it passes. */
    record Scored(EffectiveUnit unit, ExposureReport report, List<FailPredicate.Failure> failures) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String chosen = format();
        if (threshold != null && (threshold.signum() < 0 || threshold.compareTo(BigDecimal.TEN) > 0)) {
            throw new InputException("--threshold " + threshold.toPlainString() + ": expected 0.0 to 10.0");
        }
        SystemdVersion.Modelled modelled = modelled();
        modelled.warning().ifPresent(w -> err.println("unitguard: warning: " + w));
        SystemdVersion model = modelled.model();
        List<FailPredicate> predicates = failOnPredicate.stream().map(n -> FailPredicate.parse(n, model)).toList();
        List<Scored> scored = new ArrayList<>();
        int status = 0;
        for (Path file : files) {
            try {
                EffectiveUnit unit = source.load(file);
                ExposureReport report = SecurityAssessor.assess(unit, model);
                scored.add(new Scored(unit, report, failures(unit, report, model, predicates)));
            } catch (InputException | SecurityAssessmentException e) {
                err.println("unitguard: " + e.getMessage());
                status = Main.EXIT_USAGE;
            }
        }
        switch (chosen) {
            case "json" -> {
                ArrayNode array = Json.mapper().createArrayNode();
                for (Scored s : scored) {
                    ObjectNode node = array.addObject().put("systemdVersion", model.number()).put("mode", "offline");
                    node.setAll((ObjectNode) Json.mapper().valueToTree(s.report()));
                }
                out.println(Json.write(array));
            }
            case "sarif" -> out.println(Json.write(SarifLog.of(scored, Path.of(""))));
            default -> {
                if (!scored.isEmpty()) {
                    out.println("systemd " + model + ", offline (as systemd-analyze security --offline=true)");
                    TextTable table = new TextTable("UNIT", "EXPOSURE", "PREDICATE");
                    scored.forEach(s -> table.row(s.report().unit(), s.report().exposure().toPlainString(),
                            s.report().predicate()));
                    table.print(out, "");
                }
            }
        }
        for (Scored s : scored) {
            for (FailPredicate.Failure f : s.failures()) {
                err.println("unitguard: " + s.report().unit() + ": " + f.message());
                status = status == 0 ? 1 : status;
            }
        }
        return status;
    }

    /** --format, or --json; both only when they agree. */
    private String format() {
        String chosen = format == null ? (json ? "json" : "text") : format;
        if (!List.of("text", "json", "sarif").contains(chosen)) {
            throw new InputException("--format " + DropInDirectives.printable(chosen) + ": expected text, json or sarif");
        }
        if (json && !chosen.equals("json")) {
            throw new InputException("--json and --format " + chosen + " contradict each other");
        }
        return chosen;
    }

    /** How the unit fails --threshold and each --fail-on-predicate. */
    private List<FailPredicate.Failure> failures(EffectiveUnit unit, ExposureReport report, SystemdVersion model,
                                                 List<FailPredicate> predicates) {
        List<FailPredicate.Failure> failures = new ArrayList<>();
        if (threshold != null && report.exposure().compareTo(threshold) > 0) {
            failures.add(new FailPredicate.Failure(null, null, "exposure "
                    + report.exposure().toPlainString() + " is above the threshold " + threshold.toPlainString()));
        }
        predicates.forEach(p -> failures.addAll(p.failures(unit, report, model)));
        return failures;
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
