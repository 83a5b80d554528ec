package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.unit.EffectiveUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The network, system call and capability needs against the directives that restrict them. */
class NeedsEvaluatorTest extends EvaluatorTestBase {

    private static final SocketNeed REDIS = SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 6379);
    private static final SocketNeed WEB = SocketNeed.inet(SocketNeed.Protocol.TCP, "0.0.0.0", 80);
    private static final SocketNeed PG = SocketNeed.inet(SocketNeed.Protocol.TCP, "10.1.2.3", 5432);

    private List<NeedVerdict> needs(String dropIn, Optional<NetworkNeeds> network, Optional<Set<String>> syscalls,
                                    Optional<Set<String>> capabilities) {
        EffectiveUnit unit = UnitFixtures.withDropIn(UnitFixtures.load("execstart-full-privileges.service"),
                "[Service]\n" + dropIn);
        try {
            return new StaticEvaluator(host.view()).evaluate(unit, new Requirements(Optional.empty(),
                    Optional.empty(), List.of(), List.of(), network, syscalls, capabilities)).needs();
        } catch (UnknownIdentity e) {
            throw new AssertionError(e);
        }
    }

    private List<NeedVerdict> network(String dropIn, List<SocketNeed> listen, List<SocketNeed> connect,
                                      String... families) {
        return needs(dropIn, Optional.of(new NetworkNeeds(listen, connect, Set.of(families))), Optional.empty(),
                Optional.empty());
    }

    private NeedVerdict one(String dropIn, SocketNeed listen) {
        return network(dropIn, List.of(listen), List.of()).get(0);
    }

    @Test
    void evaluate_privateNetwork_deniesLoopbackListenerAndTcpClient_keepsUnixSocketFile() {
        List<NeedVerdict> v = network("PrivateNetwork=yes", List.of(REDIS, SocketNeed.unix("/run/redis/redis.sock")),
                List.of(PG, SocketNeed.unix("@dbus")));
        assertEquals(new NeedVerdict("listen tcp 127.0.0.1:6379", false, "PrivateNetwork=yes", "listens on tcp "
                + "127.0.0.1:6379, unreachable from the host under PrivateNetwork=yes: the service gets its own "
                + "network namespace with only a loopback device"), v.get(0));
        assertTrue(v.get(1).ok(), v.get(1).toString());
        assertEquals("PrivateNetwork=yes", v.get(2).deniedBy());
        assertEquals("PrivateNetwork=yes", v.get(3).deniedBy(), "an abstract socket belongs to the namespace");
    }

    @Test
    void evaluate_noNetworkStated_judgesNothing() {
        assertEquals(List.of(), needs("PrivateNetwork=yes\nSystemCallFilter=~@network-io", Optional.empty(),
                Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RestrictAddressFamilies=AF_UNIX|RestrictAddressFamilies=AF_UNIX",
        "RestrictAddressFamilies=~AF_INET|RestrictAddressFamilies=~AF_INET",
        "RestrictAddressFamilies=AF_INET AF_UNIX\\nRestrictAddressFamilies=~AF_INET"
                + "|RestrictAddressFamilies=AF_INET AF_UNIX RestrictAddressFamilies=~AF_INET",
        "RestrictAddressFamilies=none|RestrictAddressFamilies=none",
        "RestrictAddressFamilies=AF_INET\\nRestrictAddressFamilies=\\nRestrictAddressFamilies=AF_UNIX"
                + "|RestrictAddressFamilies=AF_UNIX",
    })
    void evaluate_addressFamiliesWithoutInet_denyTheTcpListener(String dropIn, String deniedBy) {
        NeedVerdict v = one(dropIn.replace("\\n", "\n"), REDIS);
        assertEquals(deniedBy, v.deniedBy(), v.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RestrictAddressFamilies=AF_INET",
        "RestrictAddressFamilies=~AF_INET6 AF_NETLINK",
        "RestrictAddressFamilies=AF_UNIX\\nRestrictAddressFamilies=AF_INET",
        "RestrictAddressFamilies=none\\nRestrictAddressFamilies=AF_INET",
        "RestrictAddressFamilies=none\\nRestrictAddressFamilies=~AF_UNIX",
        "RestrictAddressFamilies=AF_UNIX\\nRestrictAddressFamilies=",
    })
    void evaluate_addressFamiliesKeepingInet_grantTheTcpListener(String dropIn) {
        NeedVerdict v = one(dropIn.replace("\\n", "\n"), REDIS);
        assertTrue(v.ok(), v.toString());
    }

    @Test
    void evaluate_familyNeededBeyondSockets_netlinkForGetifaddrs() {
        List<NeedVerdict> v = network("RestrictAddressFamilies=AF_INET AF_UNIX", List.of(), List.of(), "AF_NETLINK");
        assertEquals(new NeedVerdict("family AF_NETLINK", false, "RestrictAddressFamilies=AF_INET AF_UNIX",
                "uses AF_NETLINK sockets: RestrictAddressFamilies=AF_INET AF_UNIX does not allow AF_NETLINK "
                        + "(socket() fails with EAFNOSUPPORT)"), v.get(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "IPAddressDeny=any|false",
        "IPAddressDeny=any\\nIPAddressAllow=localhost|true",
        "IPAddressDeny=any\\nIPAddressAllow=127.0.0.0/8|true",
        "IPAddressDeny=any\\nIPAddressAllow=127.0.0.2|false",
        "IPAddressDeny=10.0.0.0/8|true",
        "IPAddressDeny=127.0.0.1/32|false",
        "IPAddressDeny=any\\nIPAddressDeny=|true",
        "IPAddressDeny=any\\nIPAddressAllow=localhost\\nIPAddressAllow=|false",
        "IPAddressDeny=::/0|true",
    })
    void evaluate_ipAddressDeny_loopbackListener(String dropIn, boolean ok) {
        NeedVerdict v = one(dropIn.replace("\\n", "\n"), REDIS);
        assertEquals(ok, v.ok(), v.toString());
    }

    @Test
    void evaluate_ipAddressDenyAnyAllowLocalhost_cutsAWildcardListenerOffOtherHosts() {
        NeedVerdict v = one("IPAddressDeny=any\nIPAddressAllow=localhost", SocketNeed.inet(SocketNeed.Protocol.TCP,
                "0.0.0.0", 8080));
        assertEquals(new NeedVerdict("listen tcp 0.0.0.0:8080", false, "IPAddressDeny=any", "listens on tcp "
                + "0.0.0.0:8080, reachable only from this host: IPAddressDeny=any drops the packets of every client "
                + "on another host that IPAddressAllow=localhost does not let through"), v);
        assertTrue(one("IPAddressDeny=any\nIPAddressAllow=10.0.0.0/8", SocketNeed.inet(SocketNeed.Protocol.TCP,
                "0.0.0.0", 8080)).ok());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "IPAddressDeny=any|false",
        "IPAddressDeny=any\\nIPAddressAllow=10.0.0.0/8|true",
        "IPAddressDeny=10.1.0.0/16\\nIPAddressAllow=10.1.2.3|true",
        "IPAddressDeny=10.1.0.0/16|false",
        "IPAddressDeny=192.168.0.0/16|true",
        "IPAddressDeny=10.1.0.0/16 bogus 10.0.0.0/8\\nIPAddressAllow=10.1.2.0/24|true",
    })
    void evaluate_ipAddressDeny_connectDestination(String dropIn, boolean ok) {
        NeedVerdict v = network(dropIn.replace("\\n", "\n"), List.of(), List.of(PG)).get(0);
        assertEquals(ok, v.ok(), v.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SocketBindDeny=any|false",
        "SocketBindDeny=any\\nSocketBindAllow=tcp:6379|true",
        "SocketBindDeny=any\\nSocketBindAllow=ipv6:tcp:6379|false",
        "SocketBindDeny=any\\nSocketBindAllow=6000-7000|true",
        "SocketBindDeny=ipv4:udp|true",
        "SocketBindDeny=tcp:6379\\nSocketBindDeny=|true",
        "SocketBindDeny=ipv4:TCP:6379|false",
    })
    void evaluate_socketBind_listenPort(String dropIn, boolean ok) {
        NeedVerdict v = one(dropIn.replace("\\n", "\n"), REDIS);
        assertEquals(ok, v.ok(), v.toString());
    }

    @Test
    void evaluate_rootOnPort80_needsNetBindServiceInTheBoundingSet() {
        assertTrue(one("", WEB).ok());
        assertEquals(new NeedVerdict("listen tcp 0.0.0.0:80", false, "CapabilityBoundingSet=CAP_CHOWN",
                "listens on tcp 0.0.0.0:80, a port below 1024: bind() needs CAP_NET_BIND_SERVICE, which the "
                        + "bounding set drops (CapabilityBoundingSet=CAP_CHOWN)"), one("CapabilityBoundingSet=CAP_CHOWN", WEB));
        assertTrue(one("CapabilityBoundingSet=CAP_CHOWN\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE", WEB).ok());
        assertEquals("CapabilityBoundingSet=~CAP_NET_BIND_SERVICE",
                one("CapabilityBoundingSet=~CAP_NET_BIND_SERVICE", WEB).deniedBy());
    }

    @Test
    void evaluate_userOnPort80_needsAmbientNetBindService() {
        assertEquals("AmbientCapabilities=", one("User=kanakku", WEB).deniedBy());
        assertTrue(one("User=kanakku\nAmbientCapabilities=CAP_NET_BIND_SERVICE", WEB).ok());
        assertEquals("CapabilityBoundingSet=CAP_CHOWN", one("User=kanakku\nAmbientCapabilities=CAP_NET_BIND_SERVICE"
                + "\nCapabilityBoundingSet=CAP_CHOWN", WEB).deniedBy());
    }

    @Test
    void evaluate_capabilities_boundingSetAndImpliedDrops() {
        List<NeedVerdict> v = needs("CapabilityBoundingSet=CAP_CHOWN CAP_SYS_RAWIO\nPrivateDevices=yes",
                Optional.empty(), Optional.empty(), Optional.of(Set.of("CAP_CHOWN", "CAP_SYS_RAWIO", "CAP_KILL")));
        assertEquals(List.of("capability CAP_CHOWN:null", "capability CAP_KILL:CapabilityBoundingSet=CAP_CHOWN "
                        + "CAP_SYS_RAWIO", "capability CAP_SYS_RAWIO:PrivateDevices=yes"),
                v.stream().map(n -> n.need() + ":" + n.deniedBy()).toList());
    }

    @Test
    void evaluate_syscallFilter_allowAndDenyListsWithGroups() {
        Optional<Set<String>> calls = Optional.of(Set.of("socket", "read", "mount"));
        assertEquals(List.of("syscalls:null"), shown(needs("", Optional.empty(), calls, Optional.empty())));
        assertEquals(List.of("syscall mount:SystemCallFilter=@system-service"),
                shown(needs("SystemCallFilter=@system-service", Optional.empty(), calls, Optional.empty())));
        assertEquals(List.of("syscall mount:SystemCallFilter=~@mount", "syscall socket:SystemCallFilter=~@mount "
                        + "SystemCallFilter=~@network-io"),
                shown(needs("SystemCallFilter=~@mount\nSystemCallFilter=~@network-io", Optional.empty(), calls,
                        Optional.empty())).stream().map(s -> s.startsWith("syscall mount") ? s.replace(
                        " SystemCallFilter=~@network-io", "") : s).toList());
        assertEquals(List.of("syscalls:null"), shown(needs("SystemCallFilter=@system-service\n"
                + "SystemCallFilter=mount", Optional.empty(), calls, Optional.empty())));
        assertEquals(List.of("syscalls:null"), shown(needs("SystemCallFilter=~@mount\nSystemCallFilter=",
                Optional.empty(), calls, Optional.empty())));
        NeedVerdict socket = needs("SystemCallFilter=@system-service\nSystemCallFilter=~@network-io",
                Optional.empty(), calls, Optional.empty()).stream().filter(n -> n.need().equals("syscall socket"))
                .findFirst().orElseThrow();
        assertEquals("makes the system call socket, which SystemCallFilter=@system-service SystemCallFilter=~@network-io"
                + " kills the service with SIGSYS (status=31/SYS); @network-io allows it", socket.reason());
        NeedVerdict errno = needs("SystemCallFilter=~@network-io\nSystemCallErrorNumber=EPERM", Optional.empty(),
                calls, Optional.empty()).get(0);
        assertTrue(errno.reason().contains("makes it fail with EPERM"), errno.reason());
    }

    @Test
    void evaluate_systemCallArchitectures_nativeIsFine_foreignKillsEverything() {
        Optional<Set<String>> calls = Optional.of(Set.of("read"));
        assertEquals(List.of("syscalls:null"), shown(needs("SystemCallArchitectures=native", Optional.empty(), calls,
                Optional.empty())));
        assertEquals("SystemCallArchitectures=x32", needs("SystemCallArchitectures=x32", Optional.empty(), calls,
                Optional.empty()).get(0).deniedBy());
    }

    private static List<String> shown(List<NeedVerdict> verdicts) {
        return verdicts.stream().map(n -> n.need() + ":" + n.deniedBy()).toList();
    }
}
