package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeNetworkTest {

    private static final NetworkNeeds NEEDS = new NetworkNeeds(
            List.of(SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 6379), SocketNeed.unix("/run/redis.sock")),
            List.of(SocketNeed.inet(SocketNeed.Protocol.UDP, "::1", 53), SocketNeed.unix("@bus")),
            Set.of("AF_NETLINK"));
    private static final Optional<String> HOST = Optional.of("net:[4026531840]");
    private static final Optional<String> OWN = Optional.of("net:[4026532555]");

    @Test
    void judge_theHostsNamespace_everyNamespacedNeedOk() {
        ProbeNetwork.Judged judged = ProbeNetwork.judge(unit(), NEEDS, HOST, Optional.of("lo eth0"), HOST);

        assertEquals(List.of(
                new ProbeResult.Need("listen tcp 127.0.0.1:6379", true, "in the host's network namespace net:[4026531840]"),
                new ProbeResult.Need("connect udp [::1]:53", true, "in the host's network namespace net:[4026531840]"),
                new ProbeResult.Need("connect unix @bus", true, "in the host's network namespace net:[4026531840]")),
                judged.needs());
        assertEquals(List.of(), judged.notSeen());
    }

    @Test
    void judge_ownNamespaceWithOnlyLoopback_listenUnreachableConnectOutOfReach() {
        ProbeNetwork.Judged judged = ProbeNetwork.judge(unit("PrivateNetwork=yes"), NEEDS, OWN, Optional.of("lo"),
                HOST);

        String own = "its own network namespace net:[4026532555] (the host's is net:[4026531840]) with only a "
                + "loopback device";
        assertEquals(List.of(
                new ProbeResult.Need("listen tcp 127.0.0.1:6379", false,
                        "listens on tcp 127.0.0.1:6379, unreachable from the host: the service runs in " + own),
                new ProbeResult.Need("connect udp [::1]:53", false,
                        "connects to udp [::1]:53, out of reach: the service runs in " + own),
                new ProbeResult.Need("connect unix @bus", false, "connects to unix @bus, out of reach: the service "
                        + "runs in " + own + "; abstract Unix sockets belong to the namespace")), judged.needs());
    }

    @Test
    void judge_whatItCannotObserve_namedInNotSeen() {
        assertEquals(List.of("network needs under RestrictAddressFamilies=, IPAddressDeny=: not tested by the probe, "
                        + "whose shell makes no sockets; the static check judges them"),
                ProbeNetwork.judge(unit("RestrictAddressFamilies=AF_UNIX", "IPAddressDeny=any"), NEEDS, HOST,
                        Optional.of("lo"), HOST).notSeen());
        ProbeNetwork.Judged joined = ProbeNetwork.judge(unit("NetworkNamespacePath=/run/netns/x"), NEEDS, OWN,
                Optional.of("lo"), HOST);
        assertEquals(List.of(), joined.needs());
        assertEquals(List.of("listen tcp 127.0.0.1:6379, connect udp [::1]:53, connect unix @bus: the unit joins "
                + "another network namespace (NetworkNamespacePath=/run/netns/x), which the probe does not; the static "
                + "check alone judges them"), joined.notSeen());
        ProbeNetwork.Judged devices = ProbeNetwork.judge(unit("PrivateNetwork=yes"), NEEDS, OWN,
                Optional.of("lo veth0"), HOST);
        assertEquals(List.of(), devices.needs());
        assertEquals(List.of("listen tcp 127.0.0.1:6379, connect udp [::1]:53, connect unix @bus: the probe ran in "
                + "network namespace net:[4026532555], not the host's net:[4026531840], with the devices lo veth0; what "
                + "they reach is not judged"), devices.notSeen());
        assertEquals(List.of("listen tcp 127.0.0.1:6379, connect udp [::1]:53, connect unix @bus: the probe could not "
                + "compare its network namespace with the host's (the host's /proc/1/ns/net is unreadable)"),
                ProbeNetwork.judge(unit(), NEEDS, OWN, Optional.of("lo"), Optional.empty()).notSeen());
    }

    @Test
    void judge_onlyUnixSocketFiles_nothingToObserve() {
        NetworkNeeds files = new NetworkNeeds(List.of(SocketNeed.unix("/run/a.sock")), List.of(), Set.of());

        ProbeNetwork.Judged judged = ProbeNetwork.judge(unit("PrivateNetwork=yes"), files, OWN, Optional.of("lo"),
                HOST);

        assertEquals(List.of(), judged.needs());
        assertEquals(List.of(), judged.notSeen());
    }

    @Test
    void hostNamespace_thisMachine_pid1sOrElseOurOwn() throws Exception {
        String expected;
        try {
            expected = Files.readSymbolicLink(Path.of("/proc/1/ns/net")).toString();
        } catch (IOException e) {
            expected = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        }

        assertEquals(Optional.of(expected), ProbeNetwork.hostNamespace(Path.of("/")));
        assertEquals(Optional.empty(), ProbeNetwork.hostNamespace(Path.of("/nonexistent-root")));
    }

    private static EffectiveUnit unit(String... lines) {
        return ProbePropertiesTest.unit(lines);
    }
}
