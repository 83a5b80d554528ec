package dev.unitguard.learn;

import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.unit.IpAddresses;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sockets of one network namespace by inode, read from the kernel's tables in {@code /proc/PID/net/}
 * ({@code tcp}, {@code tcp6}, {@code udp}, {@code udp6}, {@code unix}, {@code netlink}, {@code packet}): what a
 * {@code socket:[INODE]} link in {@code /proc/PID/fd} is. Reading {@code /proc/PID/net} rather than
 * {@code /proc/net} gives the process's own namespace (a service with {@code PrivateNetwork=} has its own loopback).
 * Each table is read at most {@link #MAX_LINES} lines; a table the kernel lacks (no IPv6) is simply empty.
 */
final class SocketTable {

    /** The most lines read of one table. */
    static final int MAX_LINES = 65_536;
    private static final String TCP_LISTEN = "0A";
    private static final String TCP_ESTABLISHED = "01";
    private static final String UDP_CLOSE = "07";
    /** {@code __SO_ACCEPTCON} in {@code /proc/net/unix}'s Flags: a listening stream or seqpacket socket. */
    private static final int ACCEPTCON = 0x10000;

    /** A socket found in a table. */
    sealed interface Socket {
        /** The address family ({@code AF_INET}, {@code AF_NETLINK}...). */
        String family();
    }

    /** An address and port as a table shows it; port 0 when not bound to one. */
    record Endpoint(SocketNeed.Protocol protocol, String address, int port) {
        String family() {
            return address.indexOf(':') >= 0 ? "AF_INET6" : "AF_INET";
        }

        SocketNeed need() {
            return SocketNeed.inet(protocol, address, port);
        }
    }

    /** A listening (TCP) or bound and unconnected (UDP, Unix) socket. */
    record Listening(SocketNeed need) implements Socket {
        @Override
        public String family() {
            return need.family();
        }
    }

    /**
     * A connected socket: {@code local} is the socket's own end, {@code remote} the peer (a TCP socket accepted by
     * a listener has the listener's port as its local port).
     */
    record Connected(Endpoint local, Endpoint remote) implements Socket {
        @Override
        public String family() {
            return remote.family();
        }
    }

    /** A socket with nothing to state but its family: netlink, packet, an unnamed Unix socket. */
    record FamilyOnly(String family) implements Socket {
    }

    private final Map<Long, Socket> byInode;

    private SocketTable(Map<Long, Socket> byInode) {
        this.byInode = Map.copyOf(byInode);
    }

    /** The tables under {@code net} ({@code /proc/PID/net}). */
    static SocketTable read(Path net) throws IOException {
        Map<Long, Socket> sockets = new HashMap<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            SocketNeed.Protocol protocol = table.startsWith("tcp") ? SocketNeed.Protocol.TCP : SocketNeed.Protocol.UDP;
            for (String line : lines(net.resolve(table))) {
                inet(protocol, line).ifPresent(e -> sockets.put(e.getKey(), e.getValue()));
            }
        }
        for (String line : lines(net.resolve("unix"))) {
            unix(line).ifPresent(e -> sockets.put(e.getKey(), e.getValue()));
        }
        family(lines(net.resolve("netlink")), 9, "AF_NETLINK", sockets);
        family(lines(net.resolve("packet")), 8, "AF_PACKET", sockets);
        return new SocketTable(sockets);
    }

    Optional<Socket> socket(long inode) {
        return Optional.ofNullable(byInode.get(inode));
    }

    int size() {
        return byInode.size();
    }

    /** One line of {@code tcp}, {@code tcp6}, {@code udp} or {@code udp6}; the header and sockets in other states none. */
    static Optional<Map.Entry<Long, Socket>> inet(SocketNeed.Protocol protocol, String line) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 10 || !f[0].endsWith(":")) {
            return Optional.empty();
        }
        long inode = Long.parseLong(f[9]);
        if (inode == 0) {
            return Optional.empty(); // TIME_WAIT and the like: no longer a process's socket
        }
        Endpoint local = endpoint(protocol, f[1]);
        String state = f[3];
        boolean tcp = protocol == SocketNeed.Protocol.TCP;
        if (tcp ? state.equals(TCP_LISTEN) : state.equals(UDP_CLOSE)) {
            return local.port() == 0 ? Optional.of(Map.entry(inode, new FamilyOnly(local.family())))
                    : Optional.of(Map.entry(inode, new Listening(local.need())));
        }
        if (state.equals(TCP_ESTABLISHED) && !f[2].endsWith(":0000")) {
            return Optional.of(Map.entry(inode, new Connected(local, endpoint(protocol, f[2]))));
        }
        return Optional.of(Map.entry(inode, new FamilyOnly(local.family())));
    }

    /** One line of {@code unix}: listening (or bound datagram) sockets with a path; the rest by family only. */
    static Optional<Map.Entry<Long, Socket>> unix(String line) {
        String[] f = line.strip().split("\\s+", 8);
        if (f.length < 7 || !f[0].endsWith(":")) {
            return Optional.empty();
        }
        long inode = Long.parseLong(f[6]);
        int flags = Integer.parseInt(f[3], 16);
        int type = Integer.parseInt(f[4], 16);
        boolean datagram = type == 2;
        String path = f.length == 8 ? f[7].strip() : "";
        if (!path.isEmpty() && ((flags & ACCEPTCON) != 0 || datagram && f[5].equals("01"))) {
            return Optional.of(Map.entry(inode, new Listening(SocketNeed.unix(path))));
        }
        return Optional.of(Map.entry(inode, new FamilyOnly("AF_UNIX")));
    }

    private static void family(List<String> lines, int inodeField, String family, Map<Long, Socket> sockets) {
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length > inodeField && f[inodeField].matches("[0-9]+")) {
                sockets.put(Long.parseLong(f[inodeField]), new FamilyOnly(family));
            }
        }
    }

    /**
     * {@code 0100007F:18EB}: the address as the kernel prints it ({@code %08X} of each 32-bit word in the host's
     * byte order), the port in hex.
     */
    static Endpoint endpoint(SocketNeed.Protocol protocol, String field) {
        int colon = field.indexOf(':');
        String hex = field.substring(0, colon);
        int port = Integer.parseInt(field.substring(colon + 1), 16);
        byte[] address = new byte[hex.length() / 2];
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int word = 0; word < address.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (little ? (3 - b) * 2 : b * 2);
                address[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        String text = IpAddresses.format(address);
        return new Endpoint(protocol, text, port);
    }

    private static List<String> lines(Path table) throws IOException {
        try (Stream<String> lines = Files.lines(table)) {
            return lines.skip(1).limit(MAX_LINES).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }
}
