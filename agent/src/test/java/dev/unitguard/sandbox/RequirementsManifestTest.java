package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.host.Access;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsManifestTest {

    @Test
    void parse_fullManifest_givesRequirements() throws ManifestException {
        Requirements r = RequirementsManifest.parse("""
                { "user": "kanakku", "group": "kanakku",
                  "paths": [ {"path": "/var/lib/kanakku", "access": "rw"},
                             {"path": "/home/kanakku/.ssh/id_rsa", "access": "r", "secret": true} ],
                  "devices": ["/dev/ttyUSB0"] }
                """, "requires.json");
        assertEquals(new Requirements(Optional.of("kanakku"), Optional.of("kanakku"), List.of(
                new PathRequirement("/var/lib/kanakku", EnumSet.of(Access.R, Access.W), false),
                new PathRequirement("/home/kanakku/.ssh/id_rsa", EnumSet.of(Access.R), true)),
                List.of("/dev/ttyUSB0")), r);
    }

    @Test
    void parse_networkSyscallsCapabilities_givesStatedNeeds() throws ManifestException {
        Requirements r = RequirementsManifest.parse("""
                { "network": { "listen": [ {"protocol": "tcp", "address": "127.0.0.1", "port": 6379},
                                           {"protocol": "unix", "path": "/run/redis/redis.sock", "learned": "ss"} ],
                               "connect": [ {"protocol": "udp", "address": "::1", "port": 53} ],
                               "families": ["AF_NETLINK"] },
                  "syscalls": ["openat", "read"], "capabilities": [] }
                """, "requires.json");
        NetworkNeeds network = r.network().orElseThrow();
        assertEquals(List.of(SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 6379),
                new SocketNeed(SocketNeed.Protocol.UNIX, "/run/redis/redis.sock", 0, Optional.of("ss"))),
                network.listen());
        assertEquals(Set.of("AF_INET", "AF_INET6", "AF_NETLINK", "AF_UNIX"), network.allFamilies());
        assertEquals(Optional.of(Set.of("openat", "read")), r.syscalls());
        assertEquals(Optional.of(Set.of()), r.capabilities());
        assertEquals("udp [::1]:53", network.connect().get(0).toString());
    }

    @Test
    void parse_pathsOnly_leavesNetworkSyscallsAndCapabilitiesUnstated() throws ManifestException {
        Requirements r = RequirementsManifest.parse("{\"paths\": [{\"path\": \"/x\", \"access\": \"r\"}]}",
                "requires.json");
        assertEquals(Optional.empty(), r.network());
        assertEquals(Optional.empty(), r.syscalls());
        assertEquals(Optional.empty(), r.capabilities());
    }

    @Test
    void document_readBack_givesTheSameRequirements() throws ManifestException {
        String json = """
                { "user": "redis", "paths": [ {"path": "/var/lib/redis", "access": "rw", "learned": "cwd of pid 7"},
                                              {"path": "/etc/redis/redis.conf", "access": "r", "secret": true} ],
                  "devices": ["/dev/null"],
                  "network": { "listen": [ {"protocol": "tcp", "address": "::", "port": 6379} ] },
                  "syscalls": ["read", "openat"], "capabilities": ["CAP_NET_BIND_SERVICE"] }
                """;
        Requirements first = RequirementsManifest.parse(json, "a.json");
        String written = dev.unitguard.json.Json.write(RequirementsManifest.document(first));
        assertEquals(first, RequirementsManifest.parse(written, "b.json"));
        assertEquals(written, dev.unitguard.json.Json.write(RequirementsManifest.document(
                RequirementsManifest.parse(written, "c.json"))));
    }

    @Test
    void parse_emptyObject_meansNoRequirementsAndTheUnitsUser() throws ManifestException {
        assertEquals(Requirements.none(), RequirementsManifest.parse("{}", "requires.json"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"pathz\": []}|requires.json: $.pathz: unknown field (known: capabilities, devices, group, learned, network, paths, syscalls, user)",
            "{\"paths\": [{\"path\": \"/x\", \"acess\": \"r\"}]}|requires.json: $.paths[0].acess: unknown field (known: access, learned, path, secret)",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"rwz\"}]}|requires.json: $.paths[0].access: bad access letter 'z' in \"rwz\" (use r, w, x)",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"rr\"}]}|requires.json: $.paths[0].access: access letter 'r' repeated in \"rr\"",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"\"}]}|requires.json: $.paths[0].access: access must be one or more of r, w, x",
            "{\"paths\": [{\"path\": \"var/lib\", \"access\": \"r\"}]}|requires.json: $.paths[0].path: path must be absolute: \"var/lib\"",
            "{\"paths\": [{\"access\": \"r\"}]}|requires.json: $.paths[0]: missing field \"path\"",
            "{\"paths\": [{\"path\": \"/x\"}]}|requires.json: $.paths[0]: missing field \"access\"",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"r\", \"secret\": \"yes\"}]}|requires.json: $.paths[0].secret: expected true or false",
            "{\"paths\": [{\"path\": 42, \"access\": \"r\"}]}|requires.json: $.paths[0].path: expected a string",
            "{\"paths\": \"/x\"}|requires.json: $.paths: expected an array",
            "{\"user\": 1000}|requires.json: $.user: expected a string",
            "{\"user\": \"\"}|requires.json: $.user: empty value",
            "{\"devices\": [\"ttyUSB0\"]}|requires.json: $.devices[0]: device must be an absolute path: \"ttyUSB0\"",
            "[1]|requires.json: $: expected an object",
            "{\"network\": {\"listen\": [{\"protocol\": \"sctp\"}]}}|requires.json: $.network.listen[0].protocol: unknown protocol \"sctp\" (use tcp, udp or unix)",
            "{\"network\": {\"listen\": [{\"protocol\": \"tcp\", \"address\": \"localhost\", \"port\": 80}]}}|requires.json: $.network.listen[0].address: not an IP address literal: \"localhost\"",
            "{\"network\": {\"connect\": [{\"protocol\": \"tcp\", \"address\": \"::1\", \"port\": 0}]}}|requires.json: $.network.connect[0].port: port out of range 1-65535: 0",
            "{\"network\": {\"connect\": [{\"protocol\": \"udp\", \"address\": \"::1\"}]}}|requires.json: $.network.connect[0]: missing field \"port\"",
            "{\"network\": {\"listen\": [{\"protocol\": \"unix\", \"path\": \"run/x.sock\"}]}}|requires.json: $.network.listen[0].path: socket path must be absolute or @abstract: \"run/x.sock\"",
            "{\"network\": {\"listen\": [{\"protocol\": \"unix\", \"port\": 3}]}}|requires.json: $.network.listen[0].port: a unix socket has a \"path\", not an address or port",
            "{\"network\": {\"families\": [\"inet\"]}}|requires.json: $.network.families[0]: not a valid name: \"inet\"",
            "{\"syscalls\": [\"open at\"]}|requires.json: $.syscalls[0]: not a valid name: \"open at\"",
            "{\"capabilities\": [\"net_admin\"]}|requires.json: $.capabilities[0]: not a valid name: \"net_admin\"",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"r\", \"learned\": \"a\\nb\"}]}|requires.json: $.paths[0].learned: control character in note",
            "{\"user\": |requires.json: $: not valid JSON: Unexpected end-of-input within/between Object entries at line 1, column 9",
    })
    void parse_badInput_namesTheField(String json, String message) {
        ManifestException e = assertThrows(ManifestException.class, () -> RequirementsManifest.parse(json,
                "requires.json"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void read_file_usesTheFileNameInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requires.json");
        Files.writeString(file, "{\"pathz\": []}");
        ManifestException e = assertThrows(ManifestException.class, () -> RequirementsManifest.read(file));
        assertEquals("requires.json: $.pathz: unknown field (known: capabilities, devices, group, learned, network, paths, syscalls, user)", e.getMessage());
    }
}
