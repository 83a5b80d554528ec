package dev.unitguard.api;

import dev.unitguard.apply.ApplyService;
import dev.unitguard.apply.ApplySettings;
import dev.unitguard.apply.UnitVerifier;
import dev.unitguard.config.AgentConfig;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.UnitStateCache;
import dev.unitguard.systemd.SystemdClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real agent server for one test: Unix socket and TCP (port 0) under a temporary directory, unit files under a
 * fixture root, systemd at an address where nothing listens (so the cache reports it unavailable).
 */
final class TestAgent implements AutoCloseable {

    /** One answer: status, headers that matter, body. */
    record Answer(int status, String contentType, String body, Map<String, String> headers) {
    }

    static final String APP_UNIT = """
            [Unit]
            Description=Test application

            [Service]
            ExecStart=/usr/bin/app
            User=app
            ProtectSystem=full
            """;

    final Vertx vertx;
    final Path dir;
    final AgentConfig config;
    final AgentMetrics metrics = new AgentMetrics();
    final SystemdClient systemd;
    final UnitStateCache cache;
    final FakePort port;
    final ApplyService apply;
    final AgentServer server;
    private final HttpClient client;

    private TestAgent(Vertx vertx, Path dir, AgentConfig config) throws Exception {
        this.vertx = vertx;
        this.dir = dir;
        this.config = config;
        this.systemd = SystemdClient.forAddress("unix:path=" + dir.resolve("no-bus"), Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        this.cache = new UnitStateCache(systemd, config.root(), metrics, Duration.ofHours(1));
        cache.start().get(30, TimeUnit.SECONDS);
        this.port = new FakePort(config.root()).running("app.service");
        this.apply = ApplyService.builder(port)
                .settings(ApplySettings.defaults().withRoot(config.root()).withStateDirectory(dir.resolve("state"))
                        .withTiming(Duration.ofMillis(10), Duration.ofMillis(5)))
                .journal((unit, invocation, since, newest) -> List.of(dev.unitguard.systemd.JournalEntry.systemd(
                        unit + ": Main process exited, code=exited, status=226/NAMESPACE")))
                .health((unit, h, timeout) -> java.util.Optional.empty())
                .unitVerifier(UnitVerifier.NONE)
                .metrics(metrics.applyMetrics())
                .build();
        apply.recover();
        this.server = await(AgentServer.start(vertx, config, cache, metrics, systemd, apply));
        this.client = vertx.createHttpClient();
    }

    /** The defaults, with the listeners and the root moved under {@code dir} and {@code changes} applied. */
    static TestAgent start(Vertx vertx, Path dir, java.util.function.UnaryOperator<AgentConfig> changes)
            throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:990:990::/srv/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:990:\n");
        Files.writeString(root.resolve("etc/systemd/system/app.service"), APP_UNIT);
        AgentConfig defaults = AgentConfig.defaults();
        AgentConfig config = new AgentConfig(
                new AgentConfig.UnixSocket(true, dir.resolve("run/agent.sock"), "unitguard-test-none", 0660,
                        List.of()),
                new AgentConfig.Tcp(true, "127.0.0.1", 0, Optional.empty(), Optional.empty()),
                defaults.maxBodyBytes(), root, Optional.empty(), defaults.resyncInterval(),
                Duration.ofSeconds(5), "info");
        return new TestAgent(vertx, dir, changes.apply(config));
    }

    static TestAgent start(Vertx vertx, Path dir) throws Exception {
        return start(vertx, dir, c -> c);
    }

    Path socket() {
        return config.unixSocket().path();
    }

    Answer unix(HttpMethod method, String uri, String body) throws Exception {
        return send(new RequestOptions().setServer(SocketAddress.domainSocketAddress(socket().toString()))
                .setHost("localhost").setMethod(method).setURI(uri), body, Map.of());
    }

    Answer unixWith(HttpMethod method, String uri, String body, Map<String, String> headers) throws Exception {
        return send(new RequestOptions().setServer(SocketAddress.domainSocketAddress(socket().toString()))
                .setHost("localhost").setMethod(method).setURI(uri), body, headers);
    }

    /** A request over the socket whose body is raw bytes (not necessarily UTF-8). */
    Answer unixBytes(HttpMethod method, String uri, byte[] body) throws Exception {
        RequestOptions options = new RequestOptions().setServer(SocketAddress.domainSocketAddress(socket().toString()))
                .setHost("localhost").setMethod(method).setURI(uri);
        return await(client.request(options).compose(request -> request.send(Buffer.buffer(body)))
                .compose(r -> r.body().map(b -> new Answer(r.statusCode(), r.getHeader("Content-Type"), b.toString(),
                        Map.of()))));
    }

    Answer tcp(HttpMethod method, String uri, String body, Map<String, String> headers) throws Exception {
        return send(new RequestOptions().setHost("127.0.0.1").setPort(server.tcpPort()).setMethod(method)
                .setURI(uri), body, headers);
    }

    private Answer send(RequestOptions options, String body, Map<String, String> headers) throws Exception {
        headers.forEach(options::putHeader);
        Future<Answer> answer = client.request(options).compose(request -> {
            Future<HttpClientResponse> response = body == null ? request.send() : request.send(Buffer.buffer(body));
            return response.compose(r -> r.body().map(b -> new Answer(r.statusCode(), r.getHeader("Content-Type"),
                    b.toString(), Map.of("WWW-Authenticate", String.valueOf(r.getHeader("WWW-Authenticate"))))));
        });
        return await(answer);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A problem+json body as the mapper writes it. */
    static String problem(String slug, String title, int status, String detail) {
        return JsonBodies.write(new Problem(Problem.TYPE_BASE + slug, title, status, detail));
    }

    /** A problem+json body about one value of the request body: its {@code pointer}, and the detail naming it. */
    static String problemAt(String slug, String title, int status, String pointer, String detail) {
        return problemWith(slug, title, status, detail, Map.of(Problem.POINTER, pointer));
    }

    /** A 400 bad-request about one value of the request body. */
    static String badRequest(String pointer, String detail) {
        return problemAt("bad-request", "Bad request", 400, pointer, detail);
    }

    /** A problem+json body with extension members, as the mapper writes it. */
    static String problemWith(String slug, String title, int status, String detail, Map<String, Object> members) {
        return JsonBodies.write(new Problem(Problem.TYPE_BASE + slug, title, status, detail, members));
    }

    @Override
    public void close() throws IOException {
        try {
            await(server.shutdown());
            server.removeSocketFile();
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            cache.close();
            systemd.close();
            metrics.close();
        }
    }
}
