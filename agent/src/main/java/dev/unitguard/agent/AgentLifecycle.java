package dev.unitguard.agent;

import dev.unitguard.config.AgentConfig;
import dev.unitguard.config.AgentConfigLoader;
import dev.unitguard.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The agent across reloads. {@link #reload} (SIGHUP, {@code systemctl reload}) reads the configuration file again:
 * a file that does not load is logged and the running configuration kept; one that loads replaces the running
 * daemon (requests in flight finish first), and if it cannot start, the previous configuration is started again.
 * systemd hears RELOADING=1 first and READY=1 last, as sd_notify(3) describes. {@link #stop} (SIGTERM) ends it.
 */
public final class AgentLifecycle {

    /** The exit status when the agent could not start, or could not start again after a reload. */
    public static final int EXIT_START_FAILED = 1;
    /** The exit status for a configuration file the agent cannot start with. */
    public static final int EXIT_CONFIG = 2;

    private static final Logger LOG = Logger.getLogger(AgentLifecycle.class.getName());

    private final Path file;
    private final boolean required;
    private final SdNotify notify;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private AgentConfig config;
    private AgentDaemon daemon;
    private boolean stopping;
    private int exitStatus;

    private AgentLifecycle(Path file, boolean required, SdNotify notify, AgentConfig config, AgentDaemon daemon) {
        this.file = file;
        this.required = required;
        this.notify = notify;
        this.config = config;
        this.daemon = daemon;
    }

    /** Starts the daemon with {@code config}, read from {@code file} ({@code required}: must exist on reload too). */
    public static AgentLifecycle start(Path file, boolean required, AgentConfig config, SdNotify notify)
            throws AgentDaemon.StartFailed {
        return new AgentLifecycle(file, required, notify, config, AgentDaemon.start(config, notify));
    }

    /**
     * Runs the agent until SIGTERM or SIGINT with the configuration in {@code configFile} (must exist), else the
     * default file (missing means all defaults); SIGHUP reloads. Returns the exit status: 0,
     * {@link #EXIT_CONFIG} for a configuration it cannot start with (one line naming the key on {@code err}),
     * {@link #EXIT_START_FAILED} when a listener cannot start.
     */
    public static int run(Optional<Path> configFile, PrintWriter err) throws InterruptedException {
        Path file = configFile.orElse(AgentConfig.DEFAULT_FILE);
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(file, configFile.isPresent());
        } catch (ConfigException e) {
            err.println("unitguard: " + e.getMessage());
            return EXIT_CONFIG;
        }
        JournalLogging.configure(config.logLevel(), System.err);
        try (SdNotify notify = SdNotify.fromEnvironment(System.getenv())) {
            AgentLifecycle agent;
            try {
                agent = start(file, configFile.isPresent(), config, notify);
            } catch (AgentDaemon.StartFailed e) {
                err.println("unitguard: " + e.getMessage());
                return EXIT_START_FAILED;
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

    public synchronized void reload() {
        if (stopping) {
            return;
        }
        notify.reloading("reloading " + file);
        AgentConfig next;
        try {
            next = AgentConfigLoader.load(file, required);
        } catch (ConfigException e) {
            LOG.warning("reload: " + e.getMessage() + "; keeping the running configuration");
            notify.ready(daemon.status());
            return;
        }
        if (next.equals(config)) {
            LOG.info("reload: " + file + " unchanged");
            notify.ready(daemon.status());
            return;
        }
        LOG.info("reload: restarting with the new configuration from " + file);
        daemon.stop(false);
        JournalLogging.configure(next.logLevel(), System.err);
        try {
            daemon = AgentDaemon.start(next, notify);
            config = next;
            LOG.info("reload: new configuration in force");
        } catch (AgentDaemon.StartFailed e) {
            JournalLogging.configure(config.logLevel(), System.err);
            LOG.warning("reload: cannot start with the new configuration: " + e.getMessage()
                    + "; starting again with the previous one");
            try {
                daemon = AgentDaemon.start(config, notify);
            } catch (AgentDaemon.StartFailed again) {
                LOG.severe("cannot start again with the previous configuration either: " + again.getMessage());
                exitStatus = EXIT_START_FAILED;
                stopping = true;
                stopped.countDown();
            }
        }
    }

    /** SIGTERM: STOPPING=1, requests in flight finish, everything closes. Idempotent. */
    public synchronized void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        daemon.stop(true);
        stopped.countDown();
    }

    /** Waits until stopped; the exit status (0, or {@link #EXIT_START_FAILED} after a failed reload). */
    public int awaitStopped() throws InterruptedException {
        stopped.await();
        synchronized (this) {
            return exitStatus;
        }
    }
}
