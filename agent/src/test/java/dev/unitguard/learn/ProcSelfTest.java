package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.json.Json;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.SocketNeed;
import java.io.FileOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader against the real thing: this JVM's own /proc entry, with sockets and files it opened itself. */
class ProcSelfTest {

    @Test
    void observe_thisProcess_seesItsListenerConnectionUdpSocketAndFiles(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc here");
        Path written = dir.resolve("out.log");
        Path read = Files.writeString(dir.resolve("in.conf"), "x\n");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 5, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept();
             DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
             FileOutputStream out = new FileOutputStream(written.toFile());
             var in = Files.newInputStream(read)) {
            long pid = ProcessHandle.current().pid();
            ProcReader reader = new ProcReader(Path.of("/proc"));
            ProcessSample self = reader.read(pid).orElseThrow();
            Needs needs = new Needs();
            Observer.observe(List.of(self), SocketTable.read(reader.net(pid)), needs);
            Requirements r = needs.requirements(Optional.empty(), Optional.empty());

            // the JDK's sockets are dual-stack IPv6 ones: 127.0.0.1 shows as ::ffff:127.0.0.1, family AF_INET6
            String loop = r.network().orElseThrow().listen().stream().anyMatch(s -> s.address().startsWith("::ffff:"))
                    ? "[::ffff:127.0.0.1]" : "127.0.0.1";
            List<String> listen = r.network().orElseThrow().listen().stream().map(SocketNeed::toString).toList();
            List<String> connect = r.network().orElseThrow().connect().stream().map(SocketNeed::toString).toList();
            assertTrue(listen.contains("tcp " + loop + ":" + server.getLocalPort()), listen.toString());
            assertTrue(listen.contains("udp " + loop + ":" + udp.getLocalPort()), listen.toString());
            assertEquals(List.of("tcp " + loop + ":" + server.getLocalPort()), connect.stream()
                    .filter(c -> c.endsWith(":" + server.getLocalPort())).toList(),
                    "the client's end is a connect; the accepted end is the listener's, not a connect");
            assertEquals(Json.write(RequirementsManifest.document(r)), Json.write(RequirementsManifest.document(
                    RequirementsManifest.parse(Json.write(RequirementsManifest.document(r)), "self"))),
                    "what is learned reads back as a manifest, unchanged");
            assertEquals(Set.of(Access.W), access(r, written.toRealPath().toString()));
            assertEquals(Set.of(Access.R), access(r, read.toRealPath().toString()));
            assertEquals(Set.of(Access.X), access(r, self.exe().orElseThrow()).stream()
                    .filter(a -> a == Access.X).collect(java.util.stream.Collectors.toSet()));
            assertTrue(r.paths().stream().anyMatch(p -> p.path().endsWith("/libjvm.so")
                    && p.learned().orElse("").contains("mapped executable")), "libjvm.so mapped executable");
        }
    }

    private static Set<Access> access(Requirements r, String path) {
        return r.paths().stream().filter(p -> p.path().equals(path)).findFirst().map(PathRequirement::access)
                .orElseThrow(() -> new AssertionError(path + " not seen in " + r.paths()));
    }
}
