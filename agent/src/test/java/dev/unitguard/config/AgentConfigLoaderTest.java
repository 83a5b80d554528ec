package dev.unitguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void load_defaultFileMissing_defaults() throws Exception {
        assertEquals(AgentConfig.defaults(), AgentConfigLoader.load(dir.resolve("agent.json"), false));
    }

    @Test
    void load_namedFileMissing_error() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AgentConfigLoader.load(dir.resolve("agent.json"), true));
        assertEquals(dir.resolve("agent.json") + ": no such file", e.getMessage());
    }

    @Test
    void parse_emptyObject_defaults() throws Exception {
        assertEquals(AgentConfig.defaults(), AgentConfigLoader.parse("{}", "agent.json"));
    }

    @Test
    void defaults_documentedValues() {
        AgentConfig d = AgentConfig.defaults();
        assertEquals(Path.of("/run/unitguard/agent.sock"), d.unixSocket().path());
        assertEquals("unitguard", d.unixSocket().group());
        assertEquals(0660, d.unixSocket().mode());
        assertEquals("127.0.0.1:9647", d.tcp().host() + ":" + d.tcp().port());
        assertEquals(65536, d.maxBodyBytes());
        assertEquals(new AgentConfig.Apply(Path.of("/var/lib/unitguard"), "50-unitguard.conf", 10), d.apply());
    }

    @Test
    void parse_everyKey_applied() throws Exception {
        AgentConfig c = AgentConfigLoader.parse("""
                {"unixSocket": {"enabled": false, "path": "/run/x/a.sock", "group": "ops", "mode": "0666",
                                "readOnlyGroups": ["monitoring"], "adminGroups": ["deployers"]},
                 "tcp": {"enabled": true, "host": "0.0.0.0", "port": 9999, "tokenFile": "/etc/unitguard/token",
                         "tls": {"certFile": "/etc/unitguard/cert.pem", "keyFile": "/etc/unitguard/key.pem"}},
                 "maxBodyBytes": 1000, "root": "/srv/root", "systemdBus": "unix:path=/x", "resyncSeconds": 5,
                 "shutdownTimeoutSeconds": 3, "logLevel": "debug",
                 "apply": {"stateDirectory": "/srv/state", "dropInName": "60-ug.conf", "retention": 3},
                 "limits": {"maxConnections": 100, "maxConnectionsPerUser": 5, "idleTimeoutSeconds": 30,
                            "requestTimeoutSeconds": 4, "maxRequestLineBytes": 2048, "maxHeaderBytes": 4096}}
                """, "agent.json");

        assertEquals(new AgentConfig(
                new AgentConfig.UnixSocket(false, Path.of("/run/x/a.sock"), "ops", 0666, List.of("monitoring"),
                        List.of("deployers")),
                new AgentConfig.Tcp(true, "0.0.0.0", 9999, Optional.of(Path.of("/etc/unitguard/token")),
                        Optional.of(new AgentConfig.Tls(Path.of("/etc/unitguard/cert.pem"),
                                Path.of("/etc/unitguard/key.pem")))),
                1000, Path.of("/srv/root"), Optional.of("unix:path=/x"), Duration.ofSeconds(5), Duration.ofSeconds(3),
                "debug", new AgentConfig.Apply(Path.of("/srv/state"), "60-ug.conf", 3),
                new AgentConfig.Limits(100, 5, Duration.ofSeconds(30), Duration.ofSeconds(4), 2048, 4096)), c);
        assertEquals(27, AgentConfigLoader.keys().size());
    }

    @Test
    void keys_eachDocumentedInApiMd() throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("../docs/api.md"));

        assertEquals(List.of(), AgentConfigLoader.keys().stream()
                .filter(k -> doc.lines().noneMatch(l -> l.startsWith("| `") && l.split("\\|")[1].contains("`" + k + "`")))
                .toList(), "keys without a row in docs/api.md's configuration table");
    }

    @Test
    void defaults_noAdminGroups() {
        assertEquals(List.of(), AgentConfig.defaults().unixSocket().adminGroups());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"port\": 1}|agent.json: unknown key 'port'",
        "{\"tcp\": {\"prot\": 1}}|agent.json: unknown key 'tcp.prot'",
        "{\"tcp\": {\"port\": \"x\"}}|agent.json: tcp.port: expected an integer from 0 to 65535, got \"x\"",
        "{\"tcp\": {\"port\": 70000}}|agent.json: tcp.port: expected an integer from 0 to 65535, got 70000",
        "{\"tcp\": 1}|agent.json: unknown key 'tcp'",
        "{\"limits\": {\"maxConnections\": 0}}|agent.json: limits.maxConnections: expected an integer from 1 to 65536, got 0",
        "{\"limits\": {\"requestTimeoutSeconds\": \"5\"}}|agent.json: limits.requestTimeoutSeconds: expected an integer from 1 to 3600, got \"5\"",
        "{\"unixSocket\": {\"mode\": \"0999\"}}|agent.json: unixSocket.mode: expected an octal file mode such as \"0660\", got \"0999\"",
        "{\"unixSocket\": {\"path\": \"run/a.sock\"}}|agent.json: unixSocket.path: expected an absolute path, got \"run/a.sock\"",
        "{\"unixSocket\": {\"readOnlyGroups\": \"ops\"}}|agent.json: unixSocket.readOnlyGroups: expected an array of group names, got \"ops\"",
        "{\"logLevel\": \"loud\"}|agent.json: logLevel: expected one of debug, error, info, warning, got \"loud\"",
        "{\"maxBodyBytes\": 0}|agent.json: maxBodyBytes: expected an integer from 1 to 2147483647, got 0",
        "{\"tcp\": {\"tls\": {\"certFile\": \"/c.pem\"}}}|agent.json: tcp.tls.keyFile: required when TLS is configured",
        "{\"apply\": {\"retention\": 0}}|agent.json: apply.retention: expected an integer from 1 to 1000, got 0",
        "{\"apply\": {\"dropInName\": \"../x.conf\"}}|agent.json: apply.dropInName: expected a file name ending in .conf, such as \"50-unitguard.conf\", got \"../x.conf\"",
        "{\"apply\": {\"stateDir\": \"/x\"}}|agent.json: unknown key 'apply.stateDir'",
        "[1]|agent.json: expected a JSON object",
        "{\"a\": |agent.json: not valid JSON: Unexpected end-of-input within/between Object entries at line 1",
        "{\"tcp\": {\"port\": 18446744073709551617}}|agent.json: tcp.port: expected an integer from 0 to 65535, got 18446744073709551617",
        "{\"tcp\": {\"port\": 80.0}}|agent.json: tcp.port: expected an integer from 0 to 65535, got 80.0",
        "{\"tcp\": {\"host\": null}}|agent.json: tcp.host: expected a non-empty string, got null",
        "{\"unixSocket\": {\"adminGroups\": [\"ops\", {\"a\": [true]}]}}|agent.json: unixSocket.adminGroups: expected a user or group name, got [\"ops\",{\"a\":[true]}]",
        "{\"logLevel\": \"info\", \"logLevel\": \"debug\"}|agent.json: not valid JSON: Duplicate field 'logLevel' at line 1",
        "{} {}|agent.json: not valid JSON: Trailing token (of type START_OBJECT) found after value at line 1",
    })
    void parse_badConfig_errorNamesKey(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> AgentConfigLoader.parse(json, "agent.json"));
        assertEquals(message, e.getMessage());
    }
}
