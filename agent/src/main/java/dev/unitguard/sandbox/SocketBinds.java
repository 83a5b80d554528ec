package dev.unitguard.sandbox;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SocketBindRule;
import java.util.List;
import java.util.Optional;

/**
 * SocketBindAllow= and SocketBindDeny= as systemd's cgroup BPF program applies them to bind(): a bind that matches an
 * allow rule succeeds; else one that matches a deny rule fails with EPERM; else it succeeds.
 */
record SocketBinds(EffectiveUnit unit, List<SocketBindRule> allow, List<SocketBindRule> deny) {

    static SocketBinds of(EffectiveUnit unit) {
        return new SocketBinds(unit, SocketBindRule.of(unit, "SocketBindAllow"),
                SocketBindRule.of(unit, "SocketBindDeny"));
    }

    /** The directive that makes binding {@code socket} fail; empty when the bind succeeds. */
    Optional<String> denies(SocketNeed socket) {
        String protocol = socket.protocol().label();
        if (allow.stream().anyMatch(r -> r.matches(socket.ipv6(), protocol, socket.port()))) {
            return Optional.empty();
        }
        if (deny.stream().anyMatch(r -> r.matches(socket.ipv6(), protocol, socket.port()))) {
            return Optional.of(Directives.shown(unit, "SocketBindDeny")
                    + (allow.isEmpty() ? "" : " (not in " + Directives.shown(unit, "SocketBindAllow") + ")"));
        }
        return Optional.empty();
    }
}
