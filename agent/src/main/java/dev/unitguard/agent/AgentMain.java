package dev.unitguard.agent;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The agent's own entry point, as the shipped unit starts it ({@code java -cp unitguard.jar
 * dev.unitguard.agent.AgentMain [--config FILE]}): the same daemon as {@code unitguard agent}, without building the
 * command line's picocli model of every command first. picocli's classes are compiled for Java 5, which class-data
 * sharing cannot archive, so they are loaded and verified at every start: in the lab, about half of the main
 * thread's work before READY=1.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        startupDefaults();
        PrintWriter err = new PrintWriter(System.err, true);
        Optional<Optional<Path>> configFile = configFile(List.of(args));
        if (configFile.isEmpty()) {
            err.println("unitguard agent: unexpected arguments " + List.of(args) + "; usage: "
                    + AgentMain.class.getName() + " [--config FILE]");
            System.exit(AgentLifecycle.EXIT_CONFIG);
        }
        System.exit(AgentLifecycle.run(configFile.get(), err));
    }

    /**
     * Two settings that spare the agent work at every start, unless the command line sets them otherwise:
     * {@code vertx.disableDnsResolver}: Vert.x would build Netty's DNS resolver (reading resolv.conf, about 150
     * classes) for a daemon that resolves no name through Vert.x (its TCP listener's host goes to the JDK's resolver,
     * /etc/hosts first; the health checks resolve loopback names themselves); {@code io.netty.machineId}: Netty would
     * walk the network interfaces for a hardware address to put in channel ids, which only name connections in
     * Netty's own debug logs, and warns at every start in a container without one. Set before any Vert.x or Netty
     * class is loaded.
     */
    static void startupDefaults() {
        setIfAbsent("vertx.disableDnsResolver", "true");
        setIfAbsent("io.netty.machineId", "02:00:00:00:00:00");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The configuration file {@code args} name (empty: the default), or empty when they are not understood. */
    static Optional<Optional<Path>> configFile(List<String> args) {
        if (args.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        if (args.size() == 2 && args.get(0).equals("--config") && !args.get(1).isEmpty()) {
            return Optional.of(Optional.of(Path.of(args.get(1))));
        }
        if (args.size() == 1 && args.get(0).startsWith("--config=") && args.get(0).length() > "--config=".length()) {
            return Optional.of(Optional.of(Path.of(args.get(0).substring("--config=".length()))));
        }
        return Optional.empty();
    }
}
