package dev.unitguard.probe;

import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the probe observes of the manifest's network needs: the network namespace its process ran in (the script's
 * {@code readlink /proc/self/ns/net}) against the host's, and the network devices it had
 * ({@code /proc/self/net/dev}). A service in another namespace with only a loopback device (what
 * {@code PrivateNetwork=yes} gives, proven in the lab by NetworkNeedsIT) listens where nothing on the host reaches
 * it and connects to nothing the host serves; abstract Unix sockets belong to the namespace too. Unix sockets with
 * a path are files, shared across namespaces: they are judged as paths, not here.
 *
 * <p>What it cannot observe without making sockets, which its shell cannot ({@code RestrictAddressFamilies=}, the
 * {@code IPAddress*=} and {@code SocketBind*=} filters, the capability a port below 1024 needs), and a namespace
 * the unit joins ({@code NetworkNamespacePath=}, {@code JoinsNamespaceOf=}: not passed to the probe), is named in
 * {@code notSeen} and left to the static check.
 */
final class ProbeNetwork {

    static final String NAMESPACE = "net";
    static final String DEVICES = "ifs";

    /** Settings that decide network needs by what happens to sockets; the probe makes none. */
    private static final List<String> UNTESTED = List.of("RestrictAddressFamilies", "IPAddressAllow",
            "IPAddressDeny", "SocketBindAllow", "SocketBindDeny", "CapabilityBoundingSet", "AmbientCapabilities");

    private ProbeNetwork() {
    }

    /** The needs the probe observed and what it could not see of the others. */
    record Judged(List<ProbeResult.Need> needs, List<String> notSeen) {
        Judged {
            needs = List.copyOf(needs);
            notSeen = List.copyOf(notSeen);
        }
    }

    /**
     * The network namespace of the machine systemd runs on: that of its PID 1 under {@code root}; on the machine
     * itself ({@code root} is {@code /}) the caller's own when PID 1's link cannot be read (the agent lacks
     * CAP_SYS_PTRACE; it runs without PrivateNetwork=, in the host's namespace). Empty when neither can be read.
     */
    static Optional<String> hostNamespace(Path root) {
        List<Path> links = root.toAbsolutePath().normalize().equals(Path.of("/"))
                ? List.of(Path.of("/proc/1/ns/net"), Path.of("/proc/self/ns/net"))
                : List.of(root.resolve("proc/1/ns/net"));
        for (Path link : links) {
            try {
                return Optional.of(Files.readSymbolicLink(link).toString());
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    /**
     * Judges {@code needs} by the namespace the probe reported ({@code probe}), the devices it had and the host's
     * namespace.
     */
    static Judged judge(EffectiveUnit unit, NetworkNeeds needs, Optional<String> probe, Optional<String> devices,
                        Optional<String> host) {
        List<String> notSeen = new ArrayList<>();
        List<String> untested = UNTESTED.stream().filter(k -> !unit.words("Service", k).isEmpty())
                .map(k -> k + "=").toList();
        if (!untested.isEmpty()) {
            notSeen.add("network needs under " + String.join(", ", untested) + ": not tested by the probe, whose "
                    + "shell makes no sockets; the static check judges them");
        }
        List<String> needNames = new ArrayList<>();
        needs.listen().stream().filter(ProbeNetwork::namespaced).forEach(s -> needNames.add("listen " + s));
        needs.connect().stream().filter(ProbeNetwork::namespaced).forEach(s -> needNames.add("connect " + s));
        if (needNames.isEmpty()) {
            return new Judged(List.of(), notSeen);
        }
        Optional<String> joins = unit.value("Service", "NetworkNamespacePath").map(v -> "NetworkNamespacePath=" + v)
                .or(() -> unit.value("Unit", "JoinsNamespaceOf").map(v -> "JoinsNamespaceOf=" + v))
                .filter(v -> !v.endsWith("="));
        if (joins.isPresent()) {
            notSeen.add(String.join(", ", needNames) + ": the unit joins another network namespace (" + joins.get()
                    + "), which the probe does not; the static check alone judges them");
            return new Judged(List.of(), notSeen);
        }
        if (probe.isEmpty() || host.isEmpty()) {
            notSeen.add(String.join(", ", needNames) + ": the probe could not compare its network namespace with "
                    + "the host's (" + (probe.isEmpty() ? "it could not read /proc/self/ns/net"
                    : "the host's /proc/1/ns/net is unreadable") + ")");
            return new Judged(List.of(), notSeen);
        }
        List<ProbeResult.Need> judged = new ArrayList<>();
        if (probe.equals(host)) {
            needNames.forEach(n -> judged.add(new ProbeResult.Need(n, true, "in the host's network namespace "
                    + host.get())));
            return new Judged(judged, notSeen);
        }
        List<String> seen = devices.map(d -> Arrays.asList(d.trim().split("\\s+"))).orElse(List.of());
        if (!seen.equals(List.of("lo"))) {
            notSeen.add(String.join(", ", needNames) + ": the probe ran in network namespace " + probe.get()
                    + ", not the host's " + host.get() + ", with the devices " + (seen.isEmpty() ? "(unknown)"
                    : String.join(" ", seen)) + "; what they reach is not judged");
            return new Judged(List.of(), notSeen);
        }
        String own = "its own network namespace " + probe.get() + " (the host's is " + host.get()
                + ") with only a loopback device";
        for (String n : needNames) {
            String socket = n.substring(n.indexOf(' ') + 1);
            String abstractNote = socket.startsWith("unix @") ? "; abstract Unix sockets belong to the namespace" : "";
            judged.add(new ProbeResult.Need(n, false, n.startsWith("listen ")
                    ? "listens on " + socket + ", unreachable from the host: the service runs in " + own + abstractNote
                    : "connects to " + socket + ", out of reach: the service runs in " + own + abstractNote));
        }
        return new Judged(judged, notSeen);
    }

    /** A socket that lives in a network namespace: TCP, UDP, or an abstract Unix socket ({@code @name}). */
    private static boolean namespaced(SocketNeed socket) {
        return socket.protocol() != SocketNeed.Protocol.UNIX || socket.address().startsWith("@");
    }
}
