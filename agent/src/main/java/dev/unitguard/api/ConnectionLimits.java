package dev.unitguard.api;

import dev.unitguard.config.AgentConfig;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The bounds one listener puts on its clients (Vert.x has no connection limit of its own): at most
 * {@code limits.maxConnections} open connections, and on the Unix socket at most
 * {@code limits.maxConnectionsPerUser} per peer user, so that one user's idle connections cannot lock the others
 * out; a connection beyond a limit is closed at once, before any of its bytes are read. Every connection must
 * deliver a whole request (line, headers, body) within {@code limits.requestTimeoutSeconds} of its opening or of
 * the end of the previous answer: a connection that sends nothing, or headers too slowly, is closed; a request
 * whose body is late or shorter than its Content-Length is answered 408 and its connection closed.
 */
final class ConnectionLimits {

    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class.getName());
    private static final AttributeKey<Tracked> TRACKED = AttributeKey.valueOf("unitguard.limits");
    private static final long CHECK_MILLIS = 500;
    /** The methods of RFC 9110 and PATCH: anything else is 501. */
    private static final java.util.Set<HttpMethod> HTTP_METHODS = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.CONNECT, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PATCH);
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final Vertx vertx;
    private final AgentConfig.Limits limits;
    private final String listener;
    private final ErrorMapper errors;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    ConnectionLimits(Vertx vertx, AgentConfig.Limits limits, String listener, ErrorMapper errors) {
        this.vertx = vertx;
        this.limits = limits;
        this.listener = listener;
        this.errors = errors;
    }

    /** First in the connection handler: false, and the connection closed, beyond {@code maxConnections}. */
    boolean admit(HttpConnection connection) {
        Channel channel = NettyChannels.of(connection);
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refuse(channel, limits.maxConnections() + " connections (limits.maxConnections)");
            return false;
        }
        if (channel.pipeline().get(HttpVersionGuard.DECODER) != null) {
            channel.pipeline().addAfter(HttpVersionGuard.DECODER, HttpVersionGuard.NAME, new HttpVersionGuard());
        }
        Tracked tracked = new Tracked(channel);
        channel.attr(TRACKED).set(tracked);
        long timer = vertx.setPeriodic(CHECK_MILLIS, id -> tracked.check());
        channel.closeFuture().addListener(f -> {
            open.decrementAndGet();
            vertx.cancelTimer(timer);
        });
        return true;
    }

    /** Once the peer's user is known (Unix socket): closes the connection beyond {@code maxConnectionsPerUser}. */
    void admitUser(HttpConnection connection, String user) {
        Channel channel = NettyChannels.of(connection);
        AtomicInteger count = perUser.computeIfAbsent(user, u -> new AtomicInteger());
        if (count.incrementAndGet() > limits.maxConnectionsPerUser()) {
            count.decrementAndGet();
            refuse(channel, limits.maxConnectionsPerUser() + " connections of user " + user
                    + " (limits.maxConnectionsPerUser)");
            return;
        }
        channel.closeFuture().addListener(f -> perUser.computeIfPresent(user,
                (u, c) -> c.decrementAndGet() == 0 ? null : c));
    }

    /**
     * The listener's request handler: notes each request so that its body can be timed, and answers a method HTTP
     * does not define with 501 (the router answers a known method on the wrong route with 405).
     */
    Handler<HttpServerRequest> timed(Handler<HttpServerRequest> next) {
        return request -> {
            Tracked tracked = NettyChannels.of(request.connection()).attr(TRACKED).get();
            if (tracked != null) {
                tracked.started(request);
            }
            if (HTTP_METHODS.contains(request.method())) {
                next.handle(request);
            } else {
                errors.unknownMethod(request);
            }
        };
    }

    private void refuse(Channel channel, String limit) {
        channel.close();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warning(listener + ": refusing connections beyond " + limit + " (logged at most once a minute)");
        }
    }

    /** One connection's clock; touched only on the connection's event loop (the periodic check runs there too). */
    private final class Tracked {
        private final Channel channel;
        private HttpServerRequest current;
        private long since = System.nanoTime();

        Tracked(Channel channel) {
            this.channel = channel;
        }

        void started(HttpServerRequest request) {
            current = request;
            since = System.nanoTime();
        }

        void check() {
            long now = System.nanoTime();

            if (current != null && current.response().ended()) {
                current = null;
                since = now;
            }
            if (now - since < limits.requestTimeout().toNanos()) {
                return;
            }
            if (current == null) {
                channel.close();
            } else if (!current.isEnded() && !current.response().headWritten()) {
                errors.requestTimeout(current, limits.requestTimeout());
                current = null;
            }
        }
    }
}
