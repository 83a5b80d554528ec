package dev.unitguard.api;

import dev.unitguard.apply.ApplyService;
import dev.unitguard.config.AgentConfig;
import dev.unitguard.learn.RequirementsStore;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.UnitStateCache;
import dev.unitguard.systemd.SystemdClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The agent's HTTP side: the Unix-socket listener (full API, peer credentials checked per connection) and the TCP
 * listener (/metrics and /health/* always, /v1 with a bearer token file), one router each, one error mapper.
 */
public final class AgentServer {

    private static final Logger LOG = Logger.getLogger(AgentServer.class.getName());
    private static final String ROUTE = "unitguard.route";

    private final Vertx vertx;
    private final AgentConfig config;
    private final UnitStateCache cache;
    private final AgentMetrics metrics;
    private final SystemdClient systemd;
    private final ApplyService apply;
    private final String openApi;
    private final BearerToken token;
    private final ErrorMapper errors;
    private final MetricsRoute scrapes;
    private final List<HttpServer> servers = new ArrayList<>();
    private volatile boolean listening;
    private volatile boolean stopping;

    private AgentServer(Vertx vertx, AgentConfig config, UnitStateCache cache, AgentMetrics metrics,
                        SystemdClient systemd, ApplyService apply, Optional<String> token) {
        this.vertx = vertx;
        this.config = config;
        this.cache = cache;
        this.metrics = metrics;
        this.systemd = systemd;
        this.apply = apply;
        this.openApi = openApiDocument();
        this.token = BearerToken.of(token);
        this.errors = new ErrorMapper(config.maxBodyBytes(), config.limits());
        this.scrapes = new MetricsRoute(vertx, metrics);
    }

    /**
     * Starts the configured listeners; the future fails with the first listener that could not start. Call
     * {@link ApplyService#recover()} before: no change request is served until an interrupted one is settled.
     */
    public static Future<AgentServer> start(Vertx vertx, AgentConfig config, UnitStateCache cache,
                                            AgentMetrics metrics, SystemdClient systemd, ApplyService apply) {
        return vertx.executeBlocking(() -> readToken(config), false)
                .map(token -> new AgentServer(vertx, config, cache, metrics, systemd, apply, token))
                .compose(server -> server.listen().map(server));
    }

    private static Optional<String> readToken(AgentConfig config) throws IOException {
        if (config.tcp().tokenFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = config.tcp().tokenFile().get();
        var mode = Files.getPosixFilePermissions(file);
        if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(file + ": the token file is open to group or others ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(mode) + "); it gives the admin scope, "
                    + "keep it to its owner (chmod 600)");
        }
        String token = Files.readString(file).strip();
        if (token.isEmpty()) {
            throw new IOException(file + ": the token file is empty");
        }
        return Optional.of(token);
    }

    private Future<Void> listen() {
        List<Future<?>> started = new ArrayList<>();
        if (config.unixSocket().enabled()) {
            started.add(listenUnix());
        }
        if (config.tcp().enabled()) {
            started.add(listenTcp());
        }
        return Future.all(started).<Void>mapEmpty().onSuccess(v -> listening = true);
    }

    private Future<Void> listenUnix() {
        AgentConfig.UnixSocket unix = config.unixSocket();
        PeerAccess access = new PeerAccess(vertx, unix.group(), unix.readOnlyGroups(), unix.adminGroups());
        Router router = router(Optional.of(access));
        ConnectionLimits limits = new ConnectionLimits(vertx, config.limits(), unix.path().toString(), errors);
        HttpServer server = vertx.createHttpServer(serverOptions())
                .connectionHandler(connection -> {
                    if (limits.admit(connection)) {
                        access.accepted(connection).onSuccess(peer -> limits.admitUser(connection, peer.user()));
                    }
                })
                .requestHandler(limits.timed(router)).invalidRequestHandler(errors::invalidRequest);
        servers.add(server);
        return vertx.executeBlocking(() -> {
            UnixSocketFile.prepare(unix.path());
            return null;
        }, false).compose(v -> server.listen(SocketAddress.domainSocketAddress(unix.path().toString())))
                .compose(s -> vertx.executeBlocking(() -> {
                    UnixSocketFile.restrict(unix.path(), unix.mode(), unix.group());
                    return null;
                }, false))
                .onSuccess(v -> LOG.info("listening on " + unix.path() + " (full API)"))
                .recover(e -> Future.failedFuture(new IOException("cannot listen on " + unix.path() + ": "
                        + e.getMessage(), e)))
                .mapEmpty();
    }

    private Future<Void> listenTcp() {
        AgentConfig.Tcp tcp = config.tcp();
        HttpServerOptions options = serverOptions();
        tcp.tls().ifPresent(tls -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString()))
                .setSslHandshakeTimeout(config.limits().requestTimeout().toSeconds())
                .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
        ConnectionLimits limits = new ConnectionLimits(vertx, config.limits(), tcp.host() + ":" + tcp.port(), errors);
        HttpServer server = vertx.createHttpServer(options).connectionHandler(limits::admit)
                .requestHandler(limits.timed(router(Optional.empty()))).invalidRequestHandler(errors::invalidRequest);
        servers.add(server);
        return server.listen(tcp.port(), tcp.host())
                .onSuccess(s -> LOG.info("listening on " + (tcp.tls().isPresent() ? "https://" : "http://")
                        + tcp.host() + ":" + s.actualPort() + " (/metrics, /health"
                        + (tcp.tokenFile().isPresent() ? ", /v1 with the bearer token)" : ")")))
                .recover(e -> Future.failedFuture(new IOException("cannot listen on " + tcp.host() + ":"
                        + tcp.port() + ": " + e.getMessage(), e)))
                .mapEmpty();
    }

    /**
     * Both listeners' options: HTTP/1.1 only (no h2c upgrade), the idle timeout and the sizes of the request line and
     * headers from {@code limits}; the request-read timeout and the connection limits are {@link ConnectionLimits}.
     * No WebSocket compression: the agent has no WebSocket, and Vert.x would otherwise put a WebSocket extension
     * handler with two deflate handshakers into every new connection's pipeline (a scrape that opens a connection
     * each time, as curl does, paid for them every time).
     */
    private HttpServerOptions serverOptions() {
        AgentConfig.Limits limits = config.limits();
        return new HttpServerOptions().setHttp2ClearTextEnabled(false)
                .setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false)
                .setIdleTimeout((int) limits.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(limits.maxRequestLineBytes()).setMaxHeaderSize(limits.maxHeaderBytes());
    }

    private Router router(Optional<PeerAccess> peers) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            long start = System.nanoTime();
            ctx.addEndHandler(v -> metrics.request(ctx.request().method().name(),
                    Objects.requireNonNullElse(ctx.get(ROUTE), "other"), ctx.response().getStatusCode(),
                    java.time.Duration.ofNanos(System.nanoTime() - start)));
            ctx.next();
        });
        peers.ifPresent(access -> router.route().handler(access::authorize));
        HealthRoutes health = new HealthRoutes(this::listening, cache);
        get(router, "/health/live", health::live);
        get(router, "/health/ready", health::ready);
        get(router, "/metrics", scrapes);
        if (peers.isEmpty()) {
            router.route("/v1/*").handler(token::authorize);
            String principal = "token:" + config.tcp().tokenFile().map(f -> f.getFileName().toString()).orElse("");
            router.route("/v1/*").handler(ctx -> {
                ctx.put(PeerAccess.PRINCIPAL, principal);
                ctx.put(PeerAccess.LEVEL, TOKEN_LEVEL);
                ctx.put(PeerAccess.WHO, "the bearer token");
                TOKEN_LEVEL.scope().ifPresent(scope -> ctx.put(PeerAccess.SCOPE, scope));
                ctx.next();
            });
        }
        HostUnits host = new HostUnits(config.root(), cache, systemd);
        UnitRoutes units = new UnitRoutes(host, metrics);
        get(router, "/v1/openapi.json", ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(openApi));
        get(router, "/v1/units", units::list);
        get(router, "/v1/units/:unit", units::show);
        ChangeRoutes changes = new ChangeRoutes(apply, host, metrics);
        get(router, "/v1/units/:unit/history", changes::history);
        RequirementsStore requirements = new RequirementsStore(apply.settings().stateDirectory());
        LearnRoutes learn = new LearnRoutes(host, requirements, config.limits().idleTimeout());
        get(router, "/v1/units/:unit/requirements", learn::getRequirements);
        RecommendRoutes recommend = new RecommendRoutes(host, requirements);
        for (Route route : routes(units, changes, learn, recommend)) {
            withBody(router, route);
        }
        router.route().failureHandler(errors);
        router.errorHandler(404, errors);
        router.errorHandler(405, errors);
        router.errorHandler(500, errors);
        router.errorHandler(501, errors);
        return router;
    }

    /** One route that takes a body, with the level its caller needs (docs/security.md, docs/api.md). */
    record Route(HttpMethod method, String path, PeerAccess.Level needs,
                 io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> handler) {
    }

    /** What the bearer token on TCP may do: it is root's secret, given to the deploy system that manages units. */
    static final PeerAccess.Level TOKEN_LEVEL = PeerAccess.Level.ADMIN;

    /**
     * The route table of everything but GET: the hardening scope checks and changes hardening, the admin scope
     * also unit files and enablement. The engine checks the scope again ({@code ApplyService}).
     */
    static List<Route> routes(UnitRoutes units, ChangeRoutes changes, LearnRoutes learn,
                              RecommendRoutes recommend) {
        PeerAccess.Level hardening = PeerAccess.Level.HARDENING;
        PeerAccess.Level admin = PeerAccess.Level.ADMIN;
        return List.of(
                new Route(HttpMethod.POST, "/v1/units/:unit/check", hardening, units::check),
                new Route(HttpMethod.POST, "/v1/units/:unit/recommend", hardening, recommend::recommend),
                new Route(HttpMethod.PUT, "/v1/units/:unit/hardening", hardening, changes::putHardening),
                new Route(HttpMethod.DELETE, "/v1/units/:unit/hardening", hardening, changes::deleteHardening),
                new Route(HttpMethod.POST, "/v1/units/:unit/rollback", hardening, changes::rollback),
                new Route(HttpMethod.PUT, "/v1/units/:unit/file", admin, changes::putFile),
                new Route(HttpMethod.DELETE, "/v1/units/:unit/file", admin, changes::deleteFile),
                new Route(HttpMethod.POST, "/v1/units/:unit/enable", admin, changes::enable),
                new Route(HttpMethod.POST, "/v1/units/:unit/disable", admin, changes::disable),
                new Route(HttpMethod.POST, "/v1/units/:unit/permissions", hardening, changes::permissions),
                new Route(HttpMethod.POST, "/v1/units/:unit/permissions/fix", hardening, changes::fix),
                new Route(HttpMethod.PUT, "/v1/units/:unit/requirements", hardening, learn::putRequirements),
                new Route(HttpMethod.POST, "/v1/units/:unit/learn", hardening, learn::learn));
    }

    private void withBody(Router router, Route route) {
        String label = route.path().replace(":unit", "{unit}");
        // the scope is checked on a route of its own, before the body is read (a body handler must come first)
        router.route(route.method(), route.path()).handler(ctx -> {
            ctx.put(ROUTE, label);
            ctx.next();
        }).handler(PeerAccess.require(route.needs(), label, config.unixSocket().group()));
        router.route(route.method(), route.path())
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(route.handler());
    }

    private static void get(Router router, String path, io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> h) {
        String label = path.replace(":unit", "{unit}");
        router.route(HttpMethod.GET, path).handler(ctx -> {
            ctx.put(ROUTE, label);
            ctx.next();
        }).handler(h);
    }

    /** True once every configured listener is up, until shutdown begins. */
    public boolean listening() {
        return listening && !stopping;
    }

    /** The TCP port actually bound (the configured one, or the one chosen for port 0); -1 without TCP. */
    public int tcpPort() {
        return config.tcp().enabled() ? servers.get(servers.size() - 1).actualPort() : -1;
    }

    /**
     * Graceful shutdown: stops accepting connections, lets requests in flight finish (at most the configured
     * timeout), then closes the listeners.
     */
    public Future<Void> shutdown() {
        stopping = true;
        long timeout = config.shutdownTimeout().toMillis();
        List<Future<?>> stopped = new ArrayList<>();
        servers.forEach(s -> stopped.add(s.shutdown(timeout, TimeUnit.MILLISECONDS)));
        return Future.join(stopped).mapEmpty();
    }

    /** Removes the Unix socket's file after {@link #shutdown} (blocking: not on an event loop). */
    public void removeSocketFile() {
        if (config.unixSocket().enabled()) {
            UnixSocketFile.remove(config.unixSocket().path());
        }
    }

    private static String openApiDocument() {
        try (InputStream in = AgentServer.class.getResourceAsStream("openapi.json")) {
            return new String(Objects.requireNonNull(in, "openapi.json").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
