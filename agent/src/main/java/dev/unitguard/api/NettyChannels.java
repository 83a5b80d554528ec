package dev.unitguard.api;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place that reaches below Vert.x's public API: the Netty channel of an accepted connection. Vert.x has no
 * public way to read a Unix socket peer's {@code SO_PEERCRED}, to pause reading until the peer is known, or to tag a
 * connection for the limits; all three need the channel. The architecture test allows this class, and only it, to use
 * {@code io.vertx.core.net.impl}.
 */
final class NettyChannels {

    private NettyChannels() {
    }

    static Channel of(HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }
}
