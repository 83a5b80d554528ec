package dev.unitguard.cli;

import dev.unitguard.json.Json;
import dev.unitguard.perms.FixExecutor;
import dev.unitguard.perms.FixPlan;
import dev.unitguard.perms.PermissionChecker;
import dev.unitguard.perms.PermissionReport;
import dev.unitguard.perms.Severity;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.EffectiveUnit;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard perms}: ownership and permission findings for the files a unit uses, optionally fixed. Exit 0
 * when no finding reaches {@code --fail-on} (after the fix, when one is applied), 1 when one does, 2 bad usage.
 */
@Command(name = "perms", mixinStandardHelpOptions = true,
        description = "Checks ownership and permissions of the files a unit needs, for the user it runs as.")
final class PermsCommand implements Callable<Integer> {

    /** The default threshold: medium and worse fail, low and info are only reported. */
    static final String DEFAULT_FAIL_ON = "medium";

    /** The --fix output: the plan's changes with their outcome, the findings left to a human, and the check after. */
    record FixRun(boolean dryRun, List<FixExecutor.Result> changes, List<dev.unitguard.perms.Finding> manual,
                  PermissionReport after) {
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = DEFAULT_FAIL_ON,
            description = "Exit 1 when a finding is at least this severe: info, low, medium, high, critical"
                    + " (default: ${DEFAULT-VALUE}).")
    String failOn;

    @Option(names = "--fix", description = "Apply the suggested chown/chmod changes (never through a symlink).")
    boolean fix;

    @Option(names = "--dry-run", description = "With --fix: print the planned changes, change nothing.")
    boolean dryRun;

    @Mixin
    CheckedUnit input;

    @Override
    public Integer call() {
        Severity threshold = threshold();
        if (dryRun && !fix) {
            throw new ParameterException(spec.commandLine(), "--dry-run needs --fix");
        }
        Requirements requirements = input.requirements();
        EffectiveUnit unit = input.unit();
        PermissionReport report = check(unit, requirements);
        PrintWriter out = spec.commandLine().getOut();
        if (!fix) {
            out.println(json ? Json.write(report) : PermsText.report(report));
            return report.failsAt(threshold) ? CheckCommand.EXIT_FAILS : 0;
        }
        FixPlan plan = FixPlan.of(report);
        List<FixExecutor.Result> results = new FixExecutor(input.host()).apply(plan, dryRun);
        PermissionReport after = dryRun ? report : check(unit, requirements);
        FixRun run = new FixRun(dryRun, results, plan.manual(), after);
        out.println(json ? Json.write(run) : PermsText.fix(run));
        return after.failsAt(threshold) ? CheckCommand.EXIT_FAILS : 0;
    }

    private PermissionReport check(EffectiveUnit unit, Requirements requirements) {
        try {
            return new PermissionChecker(input.host()).check(unit, requirements);
        } catch (UnknownIdentity e) {
            throw new InputException(input.requiresFile + ": requirements: " + e.getMessage());
        }
    }

    private Severity threshold() {
        try {
            return Severity.parse(failOn);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--fail-on: " + e.getMessage());
        }
    }
}
