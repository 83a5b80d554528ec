package dev.unitguard.cli;

import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.metrics.BuildInfo;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code unitguard.jar}: {@code unitguard COMMAND ...}. The subcommands are added to the command line
 * model only when the arguments can need them: picocli builds the model of a command from its annotations by
 * reflection, and doing that for every subcommand was most of a cold {@code unitguard --version}.
 */
@Command(name = "unitguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Checks and hardens systemd service sandboxing.")
public final class Main implements Runnable {

    /** The subcommands' names, in the order the usage help lists them (see {@link #subcommand}). */
    static final List<String> SUBCOMMANDS = List.of("score", "check", "recommend", "perms", "apply", "rollback",
            "learn", "learn-sample", "agent", "help");

    /** Exit status for bad usage or unreadable input. */
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit status; tests call this. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(true, out, err, args);
    }

    /** {@link #run(PrintWriter, PrintWriter, String...)} with every subcommand in the model unless {@code lazy}. */
    static int run(boolean lazy, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        // before the settings below: picocli applies them to the subcommands the model has at that time
        for (String name : needed(lazy, args)) {
            cli.addSubcommand(subcommand(name));
        }
        cli.setOut(out);
        cli.setErr(err);
        Handlers handlers = new Handlers(err);
        cli.setExitCodeExceptionMapper(handlers);
        cli.setParameterExceptionHandler(handlers);
        cli.setExecutionExceptionHandler(handlers);
        return cli.execute(args);
    }

    /**
     * How errors end a run. A class, not lambdas: picocli's interfaces are Java 5 class files, and the JDK 17 class
     * data sharing archive cannot hold a lambda implementing one (it would be spun again on every start).
     */
    private record Handlers(PrintWriter err) implements CommandLine.IExitCodeExceptionMapper,
            CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

        @Override
        public int getExitCode(Throwable exception) {
            return EXIT_USAGE;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            err.println("unitguard: " + e.getMessage());
            err.println("Try '" + commandPath(e.getCommandLine()) + " --help'.");
            return EXIT_USAGE;
        }

        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
                throws Exception {
            if (e instanceof InputException || e instanceof SecurityAssessmentException) {
                err.println("unitguard: " + e.getMessage());
                return EXIT_USAGE;
            }
            throw e;
        }
    }

    /**
     * The subcommands the arguments can reach: only the one they start with (picocli hands every argument after a
     * subcommand to it, and no subcommand has subcommands of its own); none for a lone {@code --version}; all
     * otherwise, for the usage help, {@code help COMMAND}, and the suggestions for a mistyped command.
     */
    static List<String> needed(boolean lazy, String... args) {
        if (lazy && args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return List.of();
        }
        if (lazy && args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.contains(args[0])) {
            return List.of(args[0]);
        }
        return SUBCOMMANDS;
    }

    /** A new instance of the subcommand {@code name} (a switch: no subcommand class is loaded before it is needed). */
    static Object subcommand(String name) {
        return switch (name) {
            case "score" -> new ScoreCommand();
            case "check" -> new CheckCommand();
            case "recommend" -> new RecommendCommand();
            case "perms" -> new PermsCommand();
            case "apply" -> new ApplyCommand();
            case "rollback" -> new RollbackCommand();
            case "learn" -> new LearnCommand();
            case "learn-sample" -> new LearnSampleCommand();
            case "agent" -> new AgentCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
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
