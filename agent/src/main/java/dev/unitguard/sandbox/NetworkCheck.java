package dev.unitguard.sandbox;

import dev.unitguard.unit.AddressFamilyFilter;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the manifest's network needs against PrivateNetwork=, RestrictAddressFamilies=, SocketBindAllow=/
 * SocketBindDeny= (the ports it listens on), IPAddressAllow=/IPAddressDeny= ({@link IpAccess}) and, for a port below
 * 1024, CAP_NET_BIND_SERVICE. A listening socket serves only when clients outside the service can reach it: under
 * PrivateNetwork=yes the service has its own network namespace with only a loopback device, so it still binds
 * 127.0.0.1 there, but nothing on the host reaches it (proven in the lab, NetworkNeedsIT). Unix sockets in the file
 * system are shared across network namespaces; abstract ones ({@code @name}) are not.
 */
final class NetworkCheck {

    /** Ports below this need CAP_NET_BIND_SERVICE (net.ipv4.ip_unprivileged_port_start's default). */
    static final int PRIVILEGED_PORTS = 1024;

    private final EffectiveUnit unit;
    private final boolean privateNetwork;
    private final Optional<AddressFamilyFilter> families;
    private final IpAccess ip;
    private final SocketBinds binds;
    private final CapabilityCheck capabilities;

    NetworkCheck(ServiceSettings settings, CapabilityCheck capabilities) {
        this.unit = settings.unit();
        this.privateNetwork = settings.privateNetwork();
        this.families = AddressFamilyFilter.of(unit);
        this.ip = IpAccess.of(unit);
        this.binds = SocketBinds.of(unit);
        this.capabilities = capabilities;
    }

    List<NeedVerdict> check(NetworkNeeds needs) {
        List<NeedVerdict> verdicts = new ArrayList<>();
        needs.listen().forEach(s -> verdicts.add(socket(s, true)));
        needs.connect().forEach(s -> verdicts.add(socket(s, false)));
        needs.families().stream().sorted().forEach(f -> verdicts.add(family(f)));
        return verdicts;
    }

    /**
     * A socket the service listens on or connects to: PrivateNetwork= and RestrictAddressFamilies= the same for both
     * directions, a Unix socket then granted; an IP socket is judged by its direction's rules.
     */
    private NeedVerdict socket(SocketNeed socket, boolean listen) {
        String need = (listen ? "listen " : "connect ") + socket;
        String what = (listen ? "listens on " : "connects to ") + socket;
        boolean unix = socket.protocol() == SocketNeed.Protocol.UNIX;
        boolean abstractSocket = unix && socket.address().startsWith("@");
        if (privateNetwork && (!unix || abstractSocket)) {
            String side = listen ? "unreachable from the host" : "out of reach";
            return NeedVerdict.denied(need, "PrivateNetwork=yes", what + ", " + side
                    + " under PrivateNetwork=yes: the service gets its own network namespace with only a loopback "
                    + "device" + (abstractSocket ? ", and abstract Unix sockets belong to the network namespace"
                    : ""));
        }
        Optional<NeedVerdict> family = family(need, socket.family(), what).filter(v -> !v.ok());
        if (family.isPresent()) {
            return family.get();
        }
        if (unix) {
            return NeedVerdict.granted(need, what + ": " + unixNote(socket));
        }
        return listen ? listenIp(need, what, socket) : connectIp(need, what, socket);
    }

    private NeedVerdict listenIp(String need, String what, SocketNeed socket) {
        Optional<String> bind = binds.denies(socket);
        if (bind.isPresent()) {
            return NeedVerdict.denied(need, bind.get(), what + ": bind() to port " + socket.port()
                    + " fails with EPERM under " + bind.get());
        }
        IpAccess.Answer reach = ip.listener(socket);
        if (!reach.ok()) {
            return NeedVerdict.denied(need, reach.by(), what + ", " + reach.why());
        }
        if (socket.port() < PRIVILEGED_PORTS) {
            NeedVerdict cap = capabilities.check("CAP_NET_BIND_SERVICE", need, what
                    + ", a port below " + PRIVILEGED_PORTS + ": bind() needs ");
            if (!cap.ok()) {
                return cap;
            }
        }
        return NeedVerdict.granted(need, what + ", reachable from the host" + reach.why());
    }

    private NeedVerdict connectIp(String need, String what, SocketNeed socket) {
        IpAccess.Answer reach = ip.destination(socket);
        if (!reach.ok()) {
            return NeedVerdict.denied(need, reach.by(), what + ", " + reach.why());
        }
        return NeedVerdict.granted(need, what + reach.why());
    }

    private NeedVerdict family(String name) {
        return family("family " + name, name, "uses " + name + " sockets").orElseThrow();
    }

    private Optional<NeedVerdict> family(String need, String family, String what) {
        if (families.isPresent() && !families.get().allows(family)) {
            String by = Directives.shown(unit, "RestrictAddressFamilies");
            return Optional.of(NeedVerdict.denied(need, by, what + ": " + by + " does not allow " + family
                    + " (socket() fails with EAFNOSUPPORT)"));
        }
        return Optional.of(NeedVerdict.granted(need, what + ": " + family + (families.isPresent()
                ? " is allowed by " + Directives.shown(unit, "RestrictAddressFamilies")
                : " is not restricted (no RestrictAddressFamilies=)")));
    }

    private String unixNote(SocketNeed socket) {
        return socket.address().startsWith("@") ? "an abstract socket in the host's network namespace"
                : "a socket file (its path is judged like any other path the manifest lists)";
    }
}
