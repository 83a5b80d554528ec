package dev.unitguard.sandbox;

import java.util.Objects;
import java.util.Optional;

/**
 * A socket the service listens on or connects to: {@code tcp} or {@code udp} with an IP address literal and a port
 * ({@code 0.0.0.0} or {@code ::} for every address), or {@code unix} with a socket file path (or {@code @name} for an
 * abstract socket). {@code learned} says how it was seen when the manifest was learned; empty when written by hand.
 */
public record SocketNeed(Protocol protocol, String address, int port, Optional<String> learned) {

    /** The transport: the address family and socket type systemd's socket directives speak of. */
    public enum Protocol {
        TCP, UDP, UNIX;

        /** The lower-case name used in the manifest ({@code tcp}). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SocketNeed {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(learned, "learned");
        if (protocol == Protocol.UNIX ? port != 0 : port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range for " + protocol.label() + ": " + port);
        }
    }

    /** A TCP or UDP endpoint. */
    public static SocketNeed inet(Protocol protocol, String address, int port) {
        return new SocketNeed(protocol, address, port, Optional.empty());
    }

    /** A Unix socket by its path (or {@code @name}). */
    public static SocketNeed unix(String path) {
        return new SocketNeed(Protocol.UNIX, path, 0, Optional.empty());
    }

    /** True for an IPv6 address (it holds a colon); false for IPv4 and Unix sockets. */
    public boolean ipv6() {
        return protocol != Protocol.UNIX && address.indexOf(':') >= 0;
    }

    /** The address family the socket is made in: {@code AF_UNIX}, {@code AF_INET} or {@code AF_INET6}. */
    public String family() {
        return protocol == Protocol.UNIX ? "AF_UNIX" : ipv6() ? "AF_INET6" : "AF_INET";
    }

    /** {@code tcp 127.0.0.1:6379}, {@code tcp [::1]:6379}, {@code unix /run/redis/redis.sock}. */
    @Override
    public String toString() {
        if (protocol == Protocol.UNIX) {
            return "unix " + address;
        }
        return protocol.label() + " " + (ipv6() ? "[" + address + "]" : address) + ":" + port;
    }
}
