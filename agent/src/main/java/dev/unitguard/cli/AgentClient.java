package dev.unitguard.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local agent's HTTP client: Vert.x's HTTP/1.1 client on the agent's Unix socket, one request per connection.
 * Every answer is bounded: connect time, time until the answer is complete, status line, header block and body size
 * (Netty's decoder enforces the first two sizes, {@link #collect} the body). An agent that cannot be reached, that
 * answers too late or too much, is a {@link Failure}.
 *
 * <p>Why Vert.x and not a small client of our own: the agent already ships it, it is a maintained HTTP/1.1 client with
 * the bounds above, and it works on the JDK's Unix sockets (NIO transport, no native epoll jar, as the agent's own
 * listener). Its cost is start-up, about 1,600 more classes. Measured on the shaded jar with the launcher's flags
 * (C1 only, SerialGC, the postinst's CDS archive trained on {@code score}), {@code unitguard rollback} against a fake
 * agent, median of 10, interleaved, three rounds on a shared 2-core machine (load 4 to 10): the JDK-socket client it
 * replaced 1.04-1.21 s wall, 0.80-1.01 s CPU; Vert.x 2.2-3.1 s wall, 1.6-2.2 s CPU; Vert.x with a CDS archive trained
 * on {@code rollback} 1.5-1.8 s wall, 1.2-1.4 s CPU. Accepted for apply and rollback, whose reload, restart and health
 * check take seconds; a CDS archive that also covers this client takes back about half.
 */
final class AgentClient {

    static final Path DEFAULT_SOCKET = Path.of("/run/unitguard/agent.sock");
    static final int MAX_STATUS_LINE_BYTES = 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Beyond the change's own timeout (restart, health, and again for a rollback): the probe, reloads, history. */
    static final Duration ANSWER_MARGIN = Duration.ofMinutes(2);

    /** The agent's answer: status, headers (names lower-case) and body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    /** No usable answer: no agent at the socket, a refused connection, no answer in time, or one too large. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        private Failure(String message) {
            super(message);
        }

        static Failure unreachable(Path socket, String why) {
            return new Failure("agent unreachable at " + socket + ": " + why);
        }

        static Failure badAnswer(Path socket, String why) {
            return new Failure("the agent at " + socket + " " + why);
        }
    }

    /**
     * Vert.x logs a malformed answer before it fails the request, Netty what it misses on the host (a hardware address
     * for channel ids): the client tells every failure in one line, so both are kept off the command line's stderr
     * while a request runs.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("io.vertx"), Logger.getLogger("io.netty"));
    /** Vert.x's documented switch to its JDK resolver: no DNS client (and no /etc/resolv.conf read) for a path. */
    private static final String NO_DNS_CLIENT = "vertx.disableDnsResolver";

    private final Path socket;
    private final Duration answerTimeout;

    AgentClient(Path socket, Duration answerTimeout) {
        this.socket = socket;
        this.answerTimeout = answerTimeout;
    }

    /** How long to wait for the answer to a change that gives the agent {@code changeTimeout} for its restart. */
    static Duration answerTimeout(Duration changeTimeout) {
        return changeTimeout.multipliedBy(2).plus(ANSWER_MARGIN);
    }

    Response send(String method, String path, Optional<String> jsonBody, Map<String, String> extraHeaders)
            throws Failure {
        if (!Files.exists(socket)) {
            throw Failure.unreachable(socket, "no such socket (is unitguard-agent running?)");
        }
        Map<Logger, Level> levels = new LinkedHashMap<>();
        QUIET.forEach(logger -> levels.put(logger, logger.getLevel()));
        QUIET.forEach(logger -> logger.setLevel(Level.OFF));
        Vertx vertx = vertx();
        // Held until the answer is in: Vert.x closes a client that is no longer reachable (a Cleaner), pool and all.
        HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
                .setMaxInitialLineLength(MAX_STATUS_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES)
                .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()));
        try {
            // The chain runs on the event loop: a response's handlers are then set before its first bytes are
            // delivered; from this thread, a short answer could end before collect() set them.
            Promise<Response> answer = Promise.promise();
            vertx.getOrCreateContext().runOnContext(
                    v -> request(client, method, path, jsonBody, extraHeaders).onComplete(answer));
            return answer.future()
                    .await(answerTimeout.toMillis() + CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw failure(e);
        } finally {
            client.close();
            vertx.close();
            levels.forEach(Logger::setLevel);
        }
    }

    /** One event loop on the JDK's sockets, no DNS client, no file cache directory. */
    private static Vertx vertx() {
        String dns = System.getProperty(NO_DNS_CLIENT);
        System.setProperty(NO_DNS_CLIENT, "true");
        try {
            return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1).setUseDaemonThread(true).setPreferNativeTransport(false)
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                            .setClassPathResolvingEnabled(false)));
        } finally {
            if (dns == null) {
                System.clearProperty(NO_DNS_CLIENT);
            } else {
                System.setProperty(NO_DNS_CLIENT, dns);
            }
        }
    }

    private Future<Response> request(HttpClientAgent client, String method, String path, Optional<String> jsonBody,
                                     Map<String, String> extraHeaders) {
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.domainSocketAddress(socket.toString()))
                .setMethod(HttpMethod.valueOf(method)).setHost("localhost").setURI(path)
                .setConnectTimeout(CONNECT_TIMEOUT.toMillis()).setIdleTimeout(answerTimeout.toMillis())
                .putHeader("User-Agent", "unitguard-cli").putHeader("Accept", "application/json");
        if (jsonBody.isPresent()) {
            options.putHeader("Content-Type", "application/json");
        }
        extraHeaders.forEach(options::putHeader);
        Buffer body = Buffer.buffer(jsonBody.orElse(""));
        return client.request(options).recover(e -> Future.failedFuture(Failure.unreachable(socket, why(e))))
                .compose(request -> request.send(body)).compose(this::collect)
                .recover(e -> Future.failedFuture(failure(e)));
    }

    /** The whole answer, or a failure as soon as it says or shows that its body is larger than the bound. */
    private Future<Response> collect(HttpClientResponse response) {
        Promise<Response> answer = Promise.promise();
        String length = response.getHeader("Content-Length");
        if (length != null && (!length.matches("[0-9]{1,10}") || Long.parseLong(length) > MAX_BODY_BYTES)) {
            response.request().reset();
            return Future.failedFuture(tooLarge());
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                if (answer.tryFail(tooLarge())) {
                    response.request().reset();
                }
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(answer::tryFail);
        response.endHandler(end -> {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            answer.tryComplete(new Response(response.statusCode(), headers, body.toString(StandardCharsets.UTF_8)));
        });
        return answer.future();
    }

    private Failure tooLarge() {
        return Failure.badAnswer(socket, "answered more than " + MAX_BODY_BYTES / 1024 / 1024 + " MiB");
    }

    private Failure failure(Throwable e) {
        if (e instanceof Failure failure) {
            return failure;
        } else if (e instanceof TimeoutException) {
            return Failure.badAnswer(socket, "did not answer within " + answerTimeout.toSeconds() + " s");
        } else if (e instanceof HttpClosedException) {
            return Failure.unreachable(socket, "the agent closed the connection without answering");
        }
        return Failure.badAnswer(socket, "sent an answer that cannot be read: " + why(e));
    }

    /** The cause in the words the JDK uses ("Connection refused", "Permission denied"), without Netty's wrapping. */
    private String why(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int annotation = why.indexOf(": " + socket);
        return annotation > 0 ? why.substring(0, annotation) : why;
    }

    /** A unit name as one path segment: unreserved characters and {@code @ :} as they are, the rest %-encoded. */
    static String segment(String unit) {
        StringBuilder out = new StringBuilder();
        for (byte b : unit.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~@:".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
