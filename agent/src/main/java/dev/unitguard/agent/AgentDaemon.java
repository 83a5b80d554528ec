package dev.unitguard.agent;

import dev.unitguard.api.AgentServer;
import dev.unitguard.apply.ApplyService;
import dev.unitguard.apply.ApplySettings;
import dev.unitguard.apply.DynamicCheck;
import dev.unitguard.apply.HealthChecker;
import dev.unitguard.apply.Recovered;
import dev.unitguard.apply.SystemdPort;
import dev.unitguard.config.AgentConfig;
import dev.unitguard.host.DaemonThreads;
import dev.unitguard.host.HostBinds;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.UnitStateCache;
import dev.unitguard.probe.Probe;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.unit.SystemdVersion;
import dev.unitguard.unit.UnitLoader;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * One running agent: metrics, the unit-state cache, the HTTP listeners and the systemd notifications, started in
 * that order and stopped in reverse. {@link #stop} is the SIGTERM path: STOPPING=1, requests in flight finish,
 * listeners close.
 */
public final class AgentDaemon {

    /** The agent could not start (a listener could not bind); the message says which and why. */
    public static final class StartFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger LOG = Logger.getLogger(AgentDaemon.class.getName());
    private static final Duration SYSTEMD_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(30);
    /**
     * How long READY=1 waits for the first page of systemd's units (so the first /v1/units has some); the rest is
     * read after READY=1, and /health/ready says how far.
     */
    private static final Duration FIRST_PAGE_WAIT = Duration.ofSeconds(15);

    private final AgentConfig config;
    private final AgentMetrics metrics;
    private final SystemdClient systemd;
    private final UnitStateCache cache;
    private final ApplyService apply;
    private final Vertx vertx;
    private final SdNotify notify;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Completes once the cache has read the first page of systemd's units (or found systemd unavailable). */
    private final CompletableFuture<Void> firstPage;
    private AgentServer server;

    /**
     * Builds the parts with the independent set-ups side by side: the D-Bus connection is opened and Vert.x (its
     * event loops, Netty) created on threads of their own while this thread builds the metrics registry; the unit
     * cache starts as soon as the registry exists, so that the first page of units is read on the cache's thread
     * while the apply engine is built and Vert.x finishes. Each loads its own classes, most of the time before
     * READY=1.
     */
    private AgentDaemon(AgentConfig config, SdNotify notify) {
        this.config = config;
        String bus = config.systemdBus().orElseGet(SystemdClient::systemBusAddress);
        this.systemd = SystemdClient.forAddress(bus, SYSTEMD_CALL_TIMEOUT, SystemdClient.DEFAULT_JOB_TIMEOUT);
        // the bus connection (dbus-java, its native socket library) is opened by a first call while the rest is
        // built; the cache's first read then finds it open. A failure here is the cache's to report, when it calls.
        DaemonThreads.named("unitguard-start-bus").newThread(() -> {
            try {
                systemd.version();
            } catch (SystemdException | RuntimeException e) {
                LOG.fine(() -> "early connection to systemd: " + e.getMessage());
            }
        }).start();
        CompletableFuture<Vertx> vertx = CompletableFuture.supplyAsync(AgentDaemon::vertx,
                task -> DaemonThreads.named("unitguard-start").newThread(task).start());
        this.metrics = new AgentMetrics();
        this.cache = new UnitStateCache(systemd, config.root(), metrics, config.resyncInterval(),
                Probe::isProbeUnit);
        this.firstPage = cache.start();
        try {
            this.apply = applyService(config, systemd, cache, metrics);
            this.vertx = vertx.join();
            logTransport(this.vertx);
        } catch (RuntimeException | Error e) {
            cache.close();
            systemd.close();
            metrics.close();
            vertx.thenAccept(Vertx::close);
            throw e;
        }
        this.notify = notify;
    }

    /**
     * Vert.x on Netty's native epoll transport where it loads (the .so ships in the jar and is unpacked into
     * java.io.tmpdir): a new connection costs less CPU than on the JDK's NIO (docs/metrics.md). Where it does not
     * load, or with -Dio.netty.transport.noNative=true, NIO as before.
     */
    private static Vertx vertx() {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    }

    private static void logTransport(Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("network transport: native (epoll)");
        } else {
            Throwable cause = vertx.unavailableNativeTransportCause();
            LOG.info("network transport: Java NIO (native epoll unavailable: "
                    + (cause == null ? "not found" : cause.getMessage()) + ")");
        }
    }

    /** The apply engine over systemd's D-Bus API, with the probe as its dynamic check while systemd answers. */
    private static ApplyService applyService(AgentConfig config, SystemdClient systemd, UnitStateCache cache,
                                             AgentMetrics metrics) {
        AgentConfig.Apply a = config.apply();
        return ApplyService.builder(SystemdPort.over(systemd))
                .settings(ApplySettings.defaults().withRoot(config.root()).withStateDirectory(a.stateDirectory())
                        .withDropInName(a.dropInName()).withRetention(a.retention()))
                .metrics(metrics.applyMetrics())
                .health(HealthChecker.over(systemd, config.root()))
                .dynamicCheck(DynamicCheck.over(new Probe(systemd, Journal.local(), config.root(),
                        Probe.DEFAULT_TIMEOUT), cache::unavailable))
                .build();
    }

    /** Starts every part with {@code config} and sends READY=1 on {@code notify}, which stays the caller's. */
    static AgentDaemon start(AgentConfig config, SdNotify notify) throws StartFailed {
        Optional<String> binds = HostBinds.environmentProblem();
        if (binds.isPresent()) {
            throw new StartFailed(binds.get(), null);
        }
        AgentDaemon daemon = new AgentDaemon(config, notify);
        try {
            List<Recovered> recovered = daemon.apply.recover();
            recovered.forEach(r -> LOG.warning("recovered an interrupted change: " + r));
            dev.unitguard.learn.TraceRecovery.recoverOnce(SystemdPort.over(daemon.systemd), config.root())
                    .forEach(r -> LOG.warning("recovered an interrupted trace: " + r));
        } catch (IOException e) {
            daemon.close();
            throw new StartFailed("cannot recover interrupted changes from " + config.apply().stateDirectory()
                    + ": " + e.getMessage(), e);
        }
        try {
            daemon.server = AgentServer.start(daemon.vertx, config, daemon.cache, daemon.metrics, daemon.systemd,
                            daemon.apply)
                    .toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            daemon.close();
            throw new StartFailed(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.close();
            throw new StartFailed("interrupted while starting", e);
        }
        try {
            daemon.firstPage.get(FIRST_PAGE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning("no page of systemd's units read yet; serving anyway: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        daemon.notify.ready(daemon.status());
        SystemdVersion.Modelled systemd = UnitLoader.forRoot(config.root()).systemd();
        systemd.warning().ifPresentOrElse(LOG::warning,
                () -> LOG.info("modelling systemd " + systemd.model() + " (installed under " + config.root() + ")"));
        LOG.info("unitguard agent ready");
        daemon.notify.watchdog().ifPresent(daemon::startWatchdog);
        daemon.vertx.setPeriodic(STATUS_INTERVAL.toMillis(),
                id -> daemon.vertx.executeBlocking(() -> {
                    daemon.notify.status(daemon.status());
                    return null;
                }, false));
        return daemon;
    }

    private void startWatchdog(Duration interval) {
        long every = Math.max(1, interval.toMillis() / 2);
        LOG.info("systemd watchdog every " + interval.toMillis() + " ms: pinging every " + every + " ms");
        vertx.setPeriodic(every, id -> vertx.executeBlocking(() -> {
            notify.watchdogPing();
            return null;
        }, false));
    }

    /**
     * What STATUS= says while serving. It names no count that moves (the units watched are on /metrics and
     * /health/ready): a new StatusText is a PropertiesChanged signal of the agent's own unit, which the unit cache,
     * fed by signals, answers by reading that unit again, three D-Bus calls every interval on an idle host
     * (IdleAgentIT).
     */
    String status() {
        return cache.unavailable().map(r -> "serving; systemd unavailable").orElse("serving; watching systemd's units");
    }

    /**
     * Lets requests in flight finish and closes everything; {@code stopping} tells systemd (STOPPING=1), which a
     * reload does not (it sent RELOADING=1). Idempotent.
     */
    synchronized void stop(boolean stopping) {
        if (stopped.getCount() == 0) {
            return;
        }
        LOG.info("stopping: finishing requests in flight");
        if (stopping) {
            notify.stopping("stopping: finishing requests in flight");
        }
        if (server != null) {
            try {
                server.shutdown().toCompletionStage().toCompletableFuture()
                        .get(config.shutdownTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warning("shutdown did not finish cleanly: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.removeSocketFile();
        }
        close();
        LOG.info("stopped");
    }

    private void close() {
        cache.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warning("Vert.x did not close cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        systemd.close();
        metrics.close();
        stopped.countDown();
    }
}
