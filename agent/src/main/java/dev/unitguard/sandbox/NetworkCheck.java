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
        needs.listen().forEach(s -> verdicts.add(listen(s)));
        needs.connect().forEach(s -> verdicts.add(connect(s)));
        needs.families().stream().sorted().forEach(f -> verdicts.add(family(f)));
        return verdicts;
    }

    private NeedVerdict listen(SocketNeed socket) {
        String need = "listen " + socket;
        Optional<NeedVerdict> denied = common(need, socket, "listens on " + socket);
        if (denied.isPresent()) {
            return denied.get();
        }
        if (socket.protocol() == SocketNeed.Protocol.UNIX) {
            return NeedVerdict.granted(need, "listens on " + socket + ": " + unixNote(socket));
        }
        Optional<String> bind = binds.denies(socket);
        if (bind.isPresent()) {
            return NeedVerdict.denied(need, bind.get(), "listens on " + socket + ": bind() to port " + socket.port()
                    + " fails with EPERM under " + bind.get());
        }
        IpAccess.Answer reach = ip.listener(socket);
        if (!reach.ok()) {
            return NeedVerdict.denied(need, reach.by(), "listens on " + socket + ", " + reach.why());
        }
        if (socket.port() < PRIVILEGED_PORTS) {
            NeedVerdict cap = capabilities.check("CAP_NET_BIND_SERVICE", need, "listens on " + socket
                    + ", a port below " + PRIVILEGED_PORTS + ": bind() needs ");
            if (!cap.ok()) {
                return cap;
            }
        }
        return NeedVerdict.granted(need, "listens on " + socket + ", reachable from the host" + reach.why());
    }

    private NeedVerdict connect(SocketNeed socket) {
        String need = "connect " + socket;
        Optional<NeedVerdict> denied = common(need, socket, "connects to " + socket);
        if (denied.isPresent()) {
            return denied.get();
        }
        if (socket.protocol() == SocketNeed.Protocol.UNIX) {
            return NeedVerdict.granted(need, "connects to " + socket + ": " + unixNote(socket));
        }
        IpAccess.Answer reach = ip.destination(socket);
        if (!reach.ok()) {
            return NeedVerdict.denied(need, reach.by(), "connects to " + socket + ", " + reach.why());
        }
        return NeedVerdict.granted(need, "connects to " + socket + reach.why());
    }

    /** PrivateNetwork= and RestrictAddressFamilies=, the same for both directions. */
    private Optional<NeedVerdict> common(String need, SocketNeed socket, String what) {
        boolean abstractSocket = socket.protocol() == SocketNeed.Protocol.UNIX && socket.address().startsWith("@");
        if (privateNetwork && (socket.protocol() != SocketNeed.Protocol.UNIX || abstractSocket)) {
            String side = need.startsWith("listen") ? "unreachable from the host" : "out of reach";
            return Optional.of(NeedVerdict.denied(need, "PrivateNetwork=yes", what + ", " + side
                    + " under PrivateNetwork=yes: the service gets its own network namespace with only a loopback "
                    + "device" + (abstractSocket ? ", and abstract Unix sockets belong to the network namespace"
                    : "")));
        }
        Optional<NeedVerdict> family = family(need, socket.family(), what);
        return family.filter(v -> !v.ok());
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
