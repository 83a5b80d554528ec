package dev.unitguard.unit;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of SocketBindAllow= or SocketBindDeny= as systemd's {@code config_parse_cgroup_socket_bind()} reads it
 * (252, 257, 262): {@code any}, or {@code [ipv4:|ipv6:][tcp:|udp:](any|PORT|PORT-PORT)}, or a family and/or protocol
 * alone (every port). An empty assignment clears the list; an entry that does not parse is ignored.
 *
 * @param family   {@code ipv4} or {@code ipv6}; empty for both
 * @param protocol {@code tcp} or {@code udp}; empty for both
 * @param low      the first port matched (0 with {@code high} 65535 for every port)
 * @param high     the last port matched
 */
public record SocketBindRule(Optional<String> family, Optional<String> protocol, int low, int high) {

    /** The rule of one assignment's value; empty when systemd would ignore it. */
    public static Optional<SocketBindRule> parse(String value) {
        if (value.equals("any")) {
            return Optional.of(new SocketBindRule(Optional.empty(), Optional.empty(), 0, 65_535));
        }
        String[] tokens = value.split(":", -1);
        int i = 0;
        Optional<String> family = Optional.empty();
        Optional<String> protocol = Optional.empty();
        if (tokens[i].equals("ipv4") || tokens[i].equals("ipv6")) {
            family = Optional.of(tokens[i++]);
        }
        if (i < tokens.length && List.of("tcp", "udp").contains(tokens[i].toLowerCase(Locale.ROOT))) {
            protocol = Optional.of(tokens[i++].toLowerCase(Locale.ROOT));
        }
        if (i == tokens.length) {
            return i > 0 ? Optional.of(new SocketBindRule(family, protocol, 0, 65_535)) : Optional.empty();
        }
        if (i != tokens.length - 1) {
            return Optional.empty();
        }
        if (tokens[i].equals("any")) {
            return Optional.of(new SocketBindRule(family, protocol, 0, 65_535));
        }
        String range = tokens[i];
        int dash = range.indexOf('-');
        long low = port(dash < 0 ? range : range.substring(0, dash));
        long high = dash < 0 ? low : port(range.substring(dash + 1));
        if (low <= 0 || high <= 0 || low > high) {
            return Optional.empty();
        }
        return Optional.of(new SocketBindRule(family, protocol, (int) low, (int) high));
    }

    /** The rules of a unit's {@code [Service]} assignments of {@code key} still in force ({@link EffectiveUnit#values}). */
    public static List<SocketBindRule> of(EffectiveUnit unit, String key) {
        return unit.values("Service", key).stream().flatMap(value -> parse(value).stream()).toList();
    }

    /** Whether a bind() of a socket of {@code ipv6} or IPv4, {@code protocol} ({@code tcp}), to {@code port} matches. */
    public boolean matches(boolean ipv6, String protocol, int port) {
        return family.map(f -> f.equals(ipv6 ? "ipv6" : "ipv4")).orElse(true)
                && this.protocol.map(protocol::equals).orElse(true) && port >= low && port <= high;
    }

    /** As written in a unit: {@code ipv4:tcp:6379}, {@code any}. */
    @Override
    public String toString() {
        String ports = low == 0 && high == 65_535 ? "any" : low == high ? Integer.toString(low) : low + "-" + high;
        String head = family.map(f -> f + ":").orElse("") + protocol.map(p -> p + ":").orElse("");
        return head.isEmpty() || !ports.equals("any") ? head + ports : head.substring(0, head.length() - 1);
    }

    private static long port(String s) {
        OptionalLong n = Numbers.strtol(s);
        return n.isPresent() && n.getAsLong() >= 1 && n.getAsLong() <= 65535 ? n.getAsLong() : -1;
    }
}
