package dev.unitguard.cli;

import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.metrics.BuildInfo;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code unitguard.jar}: {@code unitguard COMMAND ...}. */
@Command(name = "unitguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Checks and hardens systemd service sandboxing.",
        subcommands = {ScoreCommand.class, CheckCommand.class, RecommendCommand.class, PermsCommand.class,
                ApplyCommand.class, RollbackCommand.class, LearnCommand.class, LearnSampleCommand.class,
                AgentCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for bad usage or unreadable input. */
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit status; tests call this. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("unitguard: " + e.getMessage());
            err.println("Try '" + commandPath(e.getCommandLine()) + " --help'.");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputException || e instanceof SecurityAssessmentException) {
                err.println("unitguard: " + e.getMessage());
                return EXIT_USAGE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static String commandPath(CommandLine commandLine) {
        String name = commandLine.getCommandName();
        return "unitguard".equals(name) ? name : "unitguard " + name;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo build = BuildInfo.current();
            return new String[] {"unitguard " + build.version() + " (git " + build.revision() + ")"};
        }
    }
}
