package dev.unitguard.cli;

import dev.unitguard.agent.AgentConfig;
import dev.unitguard.agent.AgentConfigLoader;
import dev.unitguard.agent.ConfigException;
import dev.unitguard.agent.JournalLogging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code unitguard agent}: runs the daemon until SIGTERM. Exit 2 for a configuration it cannot start with (one line
 * naming the key), 1 when a listener cannot start.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs the agent daemon: REST API on a Unix socket, metrics and health on TCP.")
final class AgentCommand implements Callable<Integer> {

    static final int EXIT_START_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: /etc/unitguard/agent.json; missing means all defaults).")
    Path configFile;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        try {
            config = configFile == null ? AgentConfigLoader.load(AgentConfig.DEFAULT_FILE, false)
                    : AgentConfigLoader.load(configFile, true);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("unitguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        JournalLogging.configure(config.logLevel(), System.err);
        AgentDaemon daemon;
        try {
            daemon = AgentDaemon.start(config);
        } catch (AgentDaemon.StartFailed e) {
            spec.commandLine().getErr().println("unitguard: " + e.getMessage());
            return EXIT_START_FAILED;
        }
        // SIGTERM and SIGINT are handled here rather than by a shutdown hook: in a hook, java.util.logging is
        // already being reset and the shutdown would go unlogged. The hook stays for other ways the JVM exits.
        Thread stopper = new Thread(daemon::stop, "unitguard-shutdown");
        for (String signal : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(daemon::stop, "unitguard-stop").start());
        }
        Runtime.getRuntime().addShutdownHook(stopper);
        daemon.awaitStopped();
        return 0;
    }
}
