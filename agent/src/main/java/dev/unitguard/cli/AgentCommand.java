package dev.unitguard.cli;

import dev.unitguard.agent.AgentDaemon;
import dev.unitguard.agent.AgentLifecycle;
import dev.unitguard.agent.JournalLogging;
import dev.unitguard.agent.SdNotify;
import dev.unitguard.agent.Signals;
import dev.unitguard.config.AgentConfig;
import dev.unitguard.config.AgentConfigLoader;
import dev.unitguard.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard agent}: runs the daemon until SIGTERM; SIGHUP re-reads the configuration ({@link AgentLifecycle}).
 * Exit 2 for a configuration it cannot start with (one line naming the key), 1 when a listener cannot start.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Runs the agent daemon: REST API on a Unix socket, metrics and health on TCP.")
final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: /etc/unitguard/agent.json; missing means all defaults).")
    Path configFile;

    @Override
    public Integer call() throws InterruptedException {
        Path file = configFile == null ? AgentConfig.DEFAULT_FILE : configFile;
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(file, configFile != null);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("unitguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        JournalLogging.configure(config.logLevel(), System.err);
        try (SdNotify notify = SdNotify.fromEnvironment(System.getenv())) {
            AgentLifecycle agent;
            try {
                agent = AgentLifecycle.start(file, configFile != null, config, notify);
            } catch (AgentDaemon.StartFailed e) {
                spec.commandLine().getErr().println("unitguard: " + e.getMessage());
                return AgentLifecycle.EXIT_START_FAILED;
            }
            // SIGTERM and SIGINT are handled here rather than by a shutdown hook: in a hook, java.util.logging is
            // already being reset and the shutdown would go unlogged. The hook stays for other ways the JVM exits.
            // SIGHUP (ExecReload=) re-reads the configuration instead of ending the JVM.
            for (String signal : new String[] {"TERM", "INT"}) {
                Signals.handle(signal, () -> new Thread(agent::stop, "unitguard-stop").start());
            }
            Signals.handle("HUP", () -> new Thread(agent::reload, "unitguard-reload").start());
            Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "unitguard-shutdown"));
            return agent.awaitStopped();
        }
    }
}
