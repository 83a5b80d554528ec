package dev.unitguard.api;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Access control on the Unix socket by the peer's credentials ({@code SO_PEERCRED}). Each connection is checked
 * once, when it is accepted and before any of its bytes are read: reading is switched off, the peer's user and
 * group are resolved on a worker (the JDK resolves the uid and gid to names through NSS), then reading resumes.
 * Root and members of the configured group get every route; members of a read-only group get GET routes; anyone
 * else gets 403.
 */
final class PeerAccess {

    /** What a peer may do. */
    enum Level { FULL, READ_ONLY, NONE }

    /** The peer and what it may do. */
    record Peer(String user, String group, Level level, String principal) {
    }

    /** The context key of who asks, as history records it: {@code uid:N} on the socket, {@code token:FILE} on TCP. */
    static final String PRINCIPAL = "unitguard.principal";
    /** The context key of the caller's {@link dev.unitguard.apply.Caller.Scope}. */
    static final String SCOPE = "unitguard.scope";
    private static final Path PASSWD_FILE = Path.of("/etc/passwd");

    /** The uid of {@code user}: the name itself when numeric (no passwd entry), else from the passwd file. */
    static java.util.Optional<String> uid(String user, Path passwd) {
        if (user.matches("[0-9]+")) {
            return java.util.Optional.of(user);
        }
        try (var lines = java.nio.file.Files.lines(passwd)) {
            return lines.map(l -> l.split(":", -1)).filter(f -> f.length > 2 && f[0].equals(user))
                    .map(f -> f[2]).findFirst();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    private static final Logger LOG = Logger.getLogger(PeerAccess.class.getName());
    private static final Path GROUP_FILE = Path.of("/etc/group");

    private final Vertx vertx;
    private final String group;
    private final Set<String> readOnlyGroups;
    private final Map<HttpConnection, Future<Peer>> peers = new ConcurrentHashMap<>();

    PeerAccess(Vertx vertx, String group, List<String> readOnlyGroups) {
        this.vertx = vertx;
        this.group = group;
        this.readOnlyGroups = Set.copyOf(readOnlyGroups);
    }

    /** The server's connection handler: starts the check of a new connection; the future gives the peer. */
    Future<Peer> accepted(HttpConnection connection) {
        Channel channel = ((ConnectionBase) connection).channel();
        channel.config().setAutoRead(false);
        Future<Peer> peer = vertx.executeBlocking(() -> resolve(channel), false);
        peers.put(connection, peer);
        connection.closeHandler(v -> peers.remove(connection));
        peer.onComplete(done -> channel.config().setAutoRead(true));
        return peer;
    }

    private Peer resolve(Channel channel) {
        UnixDomainPrincipal principal = channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
        String user = principal.user().getName();
        String primary = principal.group().getName();
        Peer peer = new Peer(user, primary, level(user, GroupDirectory.read(GROUP_FILE).groupsOf(user, primary)),
                uid(user, PASSWD_FILE).map(uid -> "uid:" + uid).orElse("user:" + user));
        LOG.fine(() -> "connection from " + user + ":" + primary + ": " + peer.level());
        return peer;
    }

    Level level(String user, Set<String> groups) {
        if (user.equals("root") || groups.contains(group)) {
            return Level.FULL;
        }
        return groups.stream().anyMatch(readOnlyGroups::contains) ? Level.READ_ONLY : Level.NONE;
    }

    /** The first route handler on the Unix socket: lets the request on, or fails it with 403. */
    void authorize(RoutingContext ctx) {
        Future<Peer> peer = peers.get(ctx.request().connection());
        if (peer == null) {
            ctx.fail(Problem.Kind.FORBIDDEN.exception("the peer's credentials are unknown"));
            return;
        }
        if (peer.isComplete()) {
            decide(ctx, peer);
            return;
        }
        ctx.request().pause();
        peer.onComplete(done -> {
            ctx.request().resume();
            decide(ctx, peer);
        });
    }

    private void decide(RoutingContext ctx, Future<Peer> future) {
        if (future.failed()) {
            ctx.fail(Problem.Kind.FORBIDDEN.exception("cannot read the peer's credentials: "
                    + future.cause().getMessage()));
            return;
        }
        Peer peer = future.result();
        boolean readOnly = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
        if (peer.level() == Level.FULL || peer.level() == Level.READ_ONLY && readOnly) {
            ctx.put(PRINCIPAL, peer.principal());
            ctx.put(SCOPE, peer.user().equals("root") ? dev.unitguard.apply.Caller.Scope.ROOT
                    : dev.unitguard.apply.Caller.Scope.HARDENING);
            ctx.next();
        } else if (peer.level() == Level.READ_ONLY) {
            ctx.fail(Problem.Kind.FORBIDDEN.exception("user " + peer.user() + " may only use read-only (GET) routes"
                    + "; " + ctx.request().method() + " needs root or group " + group));
        } else {
            ctx.fail(Problem.Kind.FORBIDDEN.exception("user " + peer.user() + " is neither root nor a member of group "
                    + group));
        }
    }
}
