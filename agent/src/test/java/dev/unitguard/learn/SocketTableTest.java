package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.unit.IpAddresses;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel's socket tables as /proc/PID/net prints them (fixtures copied from a real x86-64 host's format). */
class SocketTableTest {

    private static SocketTable table;

    @BeforeAll
    static void read() throws Exception {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the fixtures are in a little-endian host's byte order");
        table = SocketTable.read(fixtures());
    }

    static Path fixtures() throws URISyntaxException {
        return Path.of(SocketTableTest.class.getResource("/learn/net/tcp").toURI()).getParent();
    }

    @Test
    void read_tcpListen_isListeningWithAddressAndPort() {
        assertEquals(Optional.of(new SocketTable.Listening(SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 6379))),
                table.socket(31412));
    }

    @Test
    void read_tcp6Listen_isIpv6LoopbackAndAny() {
        assertEquals("tcp [::1]:6379", ((SocketTable.Listening) table.socket(31413).orElseThrow()).need().toString());
        assertEquals("tcp [::]:80", ((SocketTable.Listening) table.socket(31500).orElseThrow()).need().toString());
    }

    @Test
    void read_tcpEstablished_isConnectedWithBothEnds() {
        SocketTable.Connected c = (SocketTable.Connected) table.socket(31980).orElseThrow();
        assertEquals(new SocketTable.Endpoint(SocketNeed.Protocol.TCP, "127.0.0.1", 40000), c.local());
        assertEquals(new SocketTable.Endpoint(SocketNeed.Protocol.TCP, "10.0.0.10", 3306), c.remote());
    }

    @Test
    void read_timeWaitWithoutInode_isLeftOut() {
        assertEquals(12, table.size(), "3 tcp (4 less the TIME_WAIT), 2 tcp6, 2 udp, 4 unix, 1 netlink");
    }

    @Test
    void read_udpUnconnectedAndConnected() {
        assertEquals("udp 0.0.0.0:68", ((SocketTable.Listening) table.socket(20112).orElseThrow()).need().toString());
        assertEquals(new SocketTable.Endpoint(SocketNeed.Protocol.UDP, "127.0.0.1", 53),
                ((SocketTable.Connected) table.socket(31990).orElseThrow()).remote());
    }

    @Test
    void read_unix_listeningPathAbstractAndUnnamed() {
        assertEquals(Optional.of(new SocketTable.Listening(SocketNeed.unix("/run/redis/redis-server.sock"))),
                table.socket(31414));
        assertEquals(Optional.of(new SocketTable.Listening(SocketNeed.unix("@/org/kernel/linux/storage/multipathd"))),
                table.socket(18805));
        assertEquals(Optional.of(new SocketTable.FamilyOnly("AF_UNIX")), table.socket(31415));
        assertEquals(Optional.of(new SocketTable.Listening(SocketNeed.unix("/run/systemd/journal/dev-log"))),
                table.socket(31416), "a bound datagram socket receives on its path");
    }

    @Test
    void read_netlink_isFamilyOnly() {
        assertEquals(Optional.of(new SocketTable.FamilyOnly("AF_NETLINK")), table.socket(31417));
    }

    @Test
    void read_missingTables_areEmpty(@org.junit.jupiter.api.io.TempDir Path empty) throws Exception {
        assertEquals(0, SocketTable.read(empty).size());
    }

    @Test
    void ipv6_rfc5952() {
        assertEquals("::", IpAddresses.format(new byte[16]));
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = 1;
        assertEquals("2001:db8::1", IpAddresses.format(a));
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        assertEquals("2001:db8::ffff:0:1", IpAddresses.format(a));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        assertEquals("::ffff:127.0.0.1", IpAddresses.format(mapped));
        byte[] two = {0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertEquals("1:0:0:1::1", IpAddresses.format(two), "the longest run of zeros is compressed");
    }
}
