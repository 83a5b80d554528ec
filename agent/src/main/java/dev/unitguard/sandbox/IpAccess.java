package dev.unitguard.sandbox;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.IpAddresses;
import dev.unitguard.unit.IpPrefix;
import java.util.List;
import java.util.Optional;

/**
 * IPAddressAllow= and IPAddressDeny= as systemd's cgroup BPF programs apply them to every packet the service sends
 * or receives, loopback included: a packet whose remote address matches an allowed prefix passes; else one that
 * matches a denied prefix is dropped; else it passes. For a listening socket the clients' addresses are not known:
 * a loopback listener is judged by the loopback clients' address, any other by whether some client outside this
 * host may still reach it.
 */
record IpAccess(EffectiveUnit unit, List<IpPrefix> allow, List<IpPrefix> deny) {

    /** Whether the socket is usable, the directive when not, and what to say: a clause, empty when nothing. */
    record Answer(boolean ok, String by, String why) {
    }

    static IpAccess of(EffectiveUnit unit) {
        return new IpAccess(unit, IpPrefix.of(unit, "IPAddressAllow"), IpPrefix.of(unit, "IPAddressDeny"));
    }

    /** Whether packets from or to {@code remote} pass. */
    boolean passes(byte[] remote) {
        return allow.stream().anyMatch(p -> p.contains(remote)) || deny.stream().noneMatch(p -> p.contains(remote));
    }

    Answer listener(SocketNeed socket) {
        if (deny.isEmpty()) {
            return new Answer(true, null, "");
        }
        byte[] address = bytes(socket.address());
        String denyShown = Directives.shown(unit, "IPAddressDeny");
        if (IpAddresses.isLocalhost(address)) {
            byte[] client = address.length == 4 ? bytes("127.0.0.1") : address;
            return passes(client) && passes(address)
                    ? new Answer(true, null, " (IPAddressAllow= lets its loopback clients through)")
                    : new Answer(false, denyShown, "unreachable from the host: " + denyShown + " drops the packets "
                            + "of its clients on " + IpAddresses.format(client) + " and IPAddressAllow= does not "
                            + "let them through");
        }
        int family = address.length == 4 ? 4 : 6;
        boolean wildcard = java.util.Arrays.equals(address, new byte[address.length]);
        boolean allRemoteDenied = deniesEveryone(family) && (!wildcard || family == 4 || deniesEveryone(4));
        if (allRemoteDenied) {
            boolean local = passes(bytes("127.0.0.1")) || passes(bytes("::1"));
            return new Answer(false, denyShown, (local ? "reachable only from this host: " : "unreachable: ")
                    + denyShown + " drops the packets of every client on another host"
                    + (allow.isEmpty() ? "" : " that " + Directives.shown(unit, "IPAddressAllow")
                    + " does not let through"));
        }
        return new Answer(true, null, ", but " + denyShown + " drops the packets of some clients"
                + (allow.isEmpty() ? "" : " (" + Directives.shown(unit, "IPAddressAllow") + " lets some through)"));
    }

    Answer destination(SocketNeed socket) {
        byte[] address = bytes(socket.address());
        if (java.util.Arrays.equals(address, new byte[address.length])) {
            address = address.length == 4 ? bytes("127.0.0.1") : bytes("::1"); // connect() to 0.0.0.0 reaches this host
        }
        if (passes(address)) {
            return new Answer(true, null, deny.isEmpty() ? "" : ": " + IpAddresses.format(address)
                    + " passes IPAddressDeny=/IPAddressAllow=");
        }
        String denyShown = Directives.shown(unit, "IPAddressDeny");
        return new Answer(false, denyShown, denyShown + " drops its packets to " + IpAddresses.format(address)
                + (allow.isEmpty() ? "" : " and " + Directives.shown(unit, "IPAddressAllow")
                + " does not let them through"));
    }

    /** True when every address of the family outside this host is denied and none of them allowed. */
    private boolean deniesEveryone(int family) {
        return deny.stream().anyMatch(p -> p.family() == family && p.length() == 0)
                && allow.stream().noneMatch(p -> p.family() == family && !p.localhost());
    }

    private static byte[] bytes(String literal) {
        Optional<byte[]> parsed = literal.indexOf(':') >= 0 ? IpAddresses.parseV6(literal)
                : IpAddresses.parseV4(literal);
        return parsed.orElseThrow(() -> new IllegalArgumentException("not an IP address literal: " + literal));
    }
}
