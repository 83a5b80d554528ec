package dev.unitguard.api;

import dev.unitguard.apply.Caller;
import dev.unitguard.host.Accounts;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Access control on the Unix socket by the peer's credentials ({@code SO_PEERCRED}). Each connection is checked
 * once, when it is accepted and before any of its bytes are read: reading is switched off, the peer's user and
 * group are resolved on a worker (the JDK resolves the uid and gid to names through NSS), then reading resumes.
 * Each peer gets a {@link Level}: root {@code ROOT}, members of {@code unixSocket.adminGroups} {@code ADMIN}, members
 * of the socket's group {@code HARDENING}, members of a read-only group {@code READ_ONLY}; anyone else gets 403 on
 * every route. Which level each route needs is the route table's ({@link AgentServer}); {@link #require} enforces it,
 * and the engine checks the {@link Caller.Scope} again (docs/security.md).
 */
final class PeerAccess {

    /** What a peer may do, weakest first: each level may do everything the ones before it may. */
    enum Level {
        NONE, READ_ONLY, HARDENING, ADMIN, ROOT;

        /** The engine's scope of a level that may change anything; empty for read-only and none. */
        Optional<Caller.Scope> scope() {
            return switch (this) {
                case ROOT -> Optional.of(Caller.Scope.ROOT);
                case ADMIN -> Optional.of(Caller.Scope.ADMIN);
                case HARDENING -> Optional.of(Caller.Scope.HARDENING);
                default -> Optional.empty();
            };
        }

        /** The word docs/security.md uses: {@code hardening}, {@code admin}... */
        String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The peer and what it may do. */
    record Peer(String user, String group, Level level, String principal) {
    }

    /** The context key of who asks, as history records it: {@code uid:N} on the socket, {@code token:FILE} on TCP. */
    static final String PRINCIPAL = "unitguard.principal";
    /** The context key of the caller's {@link dev.unitguard.apply.Caller.Scope}. */
    static final String SCOPE = "unitguard.scope";
    /** The context key of the caller's {@link Level}. */
    static final String LEVEL = "unitguard.level";
    /** The context key of who the caller is, for messages: {@code user alice} or {@code the bearer token}. */
    static final String WHO = "unitguard.who";
    private static final Logger LOG = Logger.getLogger(PeerAccess.class.getName());
    /** The machine whose accounts name the peers: the agent's own. */
    private static final Path ACCOUNTS_ROOT = Path.of("/");

    private final Vertx vertx;
    private final String group;
    private final Set<String> readOnlyGroups;
    private final Set<String> adminGroups;
    private final Map<HttpConnection, Future<Peer>> peers = new ConcurrentHashMap<>();

    PeerAccess(Vertx vertx, String group, List<String> readOnlyGroups, List<String> adminGroups) {
        this.vertx = vertx;
        this.group = group;
        this.readOnlyGroups = Set.copyOf(readOnlyGroups);
        this.adminGroups = Set.copyOf(adminGroups);
    }

    /** The server's connection handler: starts the check of a new connection; the future gives the peer. */
    Future<Peer> accepted(HttpConnection connection) {
        Channel channel = NettyChannels.of(connection);
        channel.config().setAutoRead(false);
        Future<Peer> peer = vertx.executeBlocking(() -> resolve(channel), false);
        peers.put(connection, peer);
        connection.closeHandler(v -> peers.remove(connection));
        peer.onComplete(done -> channel.config().setAutoRead(true));
        return peer;
    }

    private Peer resolve(Channel channel) throws IOException {
        Accounts accounts = Accounts.read(ACCOUNTS_ROOT);
        String user;
        String primary;
        if (channel instanceof EpollDomainSocketChannel epoll) {
            // the native transport: the kernel's SO_PEERCRED as numbers, named as the JDK would (the number when
            // the account has no name)
            PeerCredentials credentials = epoll.peerCredentials();
            user = accounts.user(Integer.toString(credentials.uid())).map(Accounts.User::name)
                    .orElse(Integer.toString(credentials.uid()));
            int gid = credentials.gids().length > 0 ? credentials.gids()[0] : -1;
            primary = accounts.group(Integer.toString(gid)).map(Accounts.Group::name).orElse(Integer.toString(gid));
        } else {
            UnixDomainPrincipal principal =
                    channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
            user = principal.user().getName();
            primary = principal.group().getName();
        }
        Set<String> groups = new HashSet<>();
        groups.add(primary);
        accounts.memberships(user).forEach(g -> groups.add(g.name()));
        Optional<String> uid = user.matches("[0-9]+") ? Optional.of(user)
                : accounts.user(user).map(u -> Integer.toString(u.uid()));
        Peer peer = new Peer(user, primary, level(user, groups), uid.map(n -> "uid:" + n).orElse("user:" + user));
        LOG.fine(() -> "connection from " + user + ":" + primary + ": " + peer.level());
        return peer;
    }

    Level level(String user, Set<String> groups) {
        if (user.equals("root")) {
            return Level.ROOT;
        }
        if (groups.stream().anyMatch(adminGroups::contains)) {
            return Level.ADMIN;
        }
        if (groups.contains(group)) {
            return Level.HARDENING;
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
        if (peer.level() == Level.NONE) {
            ctx.fail(Problem.Kind.FORBIDDEN.exception("user " + peer.user() + " is neither root nor a member of group "
                    + group));
            return;
        }
        HttpMethod method = ctx.request().method();
        if (peer.level() == Level.READ_ONLY && method != HttpMethod.GET && method != HttpMethod.HEAD) {
            // whatever the route table says (or forgets), a read-only peer only reads
            ctx.fail(Problem.Kind.FORBIDDEN.exception("user " + peer.user() + " may only use read-only (GET) routes"
                    + "; " + method + " needs root or group " + group));
            return;
        }
        ctx.put(PRINCIPAL, peer.principal());
        ctx.put(LEVEL, peer.level());
        ctx.put(WHO, "user " + peer.user());
        peer.level().scope().ifPresent(scope -> ctx.put(SCOPE, scope));
        ctx.next();
    }

    /**
     * The route handler that lets on only callers of level {@code needed} or above ({@link #LEVEL} set by
     * {@link #authorize} on the socket, by the bearer token on TCP); 403 naming the route and the scope it needs.
     */
    static io.vertx.core.Handler<RoutingContext> require(Level needed, String route, String group) {
        return ctx -> {
            Level level = ctx.get(LEVEL, Level.NONE);
            if (level.compareTo(needed) >= 0) {
                ctx.next();
                return;
            }
            String who = ctx.get(WHO, "the caller");
            String what = ctx.request().method() + " " + route;
            String needs = needed == Level.HARDENING ? "root or group " + group
                    : "the admin scope: root or a member of unixSocket.adminGroups";
            Map<String, Object> members = new java.util.LinkedHashMap<>();
            members.put("scope", level.word());
            members.put("requiredScope", needed.word());
            ctx.fail(Problem.Kind.INSUFFICIENT_SCOPE.exception(who + " has the " + level.word() + " scope; " + what
                    + " needs " + needs, members));
        };
    }
}
