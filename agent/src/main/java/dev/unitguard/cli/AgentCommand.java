package dev.unitguard.cli;

import dev.unitguard.agent.AgentLifecycle;
import java.nio.file.Path;
import java.util.Optional;
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
        return AgentLifecycle.run(Optional.ofNullable(configFile), spec.commandLine().getErr());
    }
}
