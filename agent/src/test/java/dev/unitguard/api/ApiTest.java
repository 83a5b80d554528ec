package dev.unitguard.api;

import static dev.unitguard.api.TestAgent.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unitguard.config.AgentConfig;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The API's answers over a real server: unit detail, checks (against the CLI), auth on both listeners, health. */
@ExtendWith(VertxExtension.class)
class ApiTest {

    @TempDir
    Path dir;

    @Test
    void check_candidate_sameBodyAsCliCheckJson(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            String manifest = "{\"paths\": [{\"path\": \"/etc/app.conf\", \"access\": \"w\"}]}";
            Path manifestFile = Files.writeString(dir.resolve("manifest.json"), manifest);

            TestAgent.Answer api = agent.unix(HttpMethod.POST, "/v1/units/app.service/check",
                    "{\"set\": {\"ProtectSystem\": \"strict\", \"PrivateTmp\": \"yes\"}, \"requires\": " + manifest + "}");

            String cli = runCli("check", "--json", "--root", agent.config.root().toString(),
                    "--set", "ProtectSystem=strict", "--set", "PrivateTmp=yes", "--requires", manifestFile.toString(),
                    agent.config.root().resolve("etc/systemd/system/app.service").toString());
            assertEquals(200, api.status());
            assertEquals("application/json", api.contentType());
            // the same answer, but for the exposure: the agent scores as the running systemd does (live), the command
            // line as systemd-analyze --offline=true
            ObjectNode fromCli = (ObjectNode) JsonBodies.MAPPER.readTree(cli);
            ObjectNode fromApi = (ObjectNode) JsonBodies.MAPPER.readTree(api.body());
            EffectiveUnit unit = UnitLoader.forRoot(agent.config.root()).load("app.service");
            assertEquals(SecurityAssessor.assess(unit).exposure(),
                    fromCli.remove("exposure").get("before").decimalValue());
            assertEquals(SecurityAssessor.assess(unit.live()).exposure(),
                    fromApi.remove("exposure").get("before").decimalValue());
            assertEquals(fromCli, fromApi);
            assertTrue(api.body().contains("\"ok\" : false"), api.body());
        }
    }

    @Test
    void getUnit_fixture_settingsFilesAndExposureChecks(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer answer = agent.unix(HttpMethod.GET, "/v1/units/app.service", null);

            assertEquals(200, answer.status());
            JsonNode body = JsonBodies.MAPPER.readTree(answer.body());
            Path fragment = agent.config.root().resolve("etc/systemd/system/app.service");
            assertEquals("app.service", body.get("unit").textValue());
            assertEquals(fragment.toString(), body.get("fragmentPath").textValue());
            assertTrue(body.get("state").isNull(), "systemd is unavailable in this test");
            JsonNode protect = body.get("settings").get(3);
            assertEquals("Service/ProtectSystem=full " + fragment + ":7", protect.get("section").textValue() + "/"
                    + protect.get("key").textValue() + "=" + protect.get("value").textValue() + " "
                    + protect.get("file").textValue() + ":" + protect.get("line").intValue());
            assertTrue(body.get("exposure").get("checks").size() > 70, "every check of systemd's table is listed");
            EffectiveUnit unit = UnitLoader.forRoot(agent.config.root()).load("app.service");
            assertEquals(SecurityAssessor.assess(unit.live()).exposure(),
                    body.get("exposure").get("score").decimalValue());
            assertEquals("live", body.get("exposure").get("mode").textValue());
            assertEquals(unit.systemd().number(), body.get("exposure").get("systemdVersion").intValue());
        }
    }

    @Test
    void tcpApi_tokenFile_401WithoutOrWrongToken200WithIt(Vertx vertx) throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (TestAgent agent = TestAgent.start(vertx, dir, c -> withTcp(c, new AgentConfig.Tcp(true, "127.0.0.1", 0,
                Optional.of(tokenFile), Optional.empty())))) {
            TestAgent.Answer none = agent.tcp(HttpMethod.GET, "/v1/units/app.service", null, Map.of());
            TestAgent.Answer wrong = agent.tcp(HttpMethod.GET, "/v1/units/app.service", null,
                    Map.of("Authorization", "Bearer s3cret-tokem"));
            TestAgent.Answer right = agent.tcp(HttpMethod.GET, "/v1/units/app.service", null,
                    Map.of("Authorization", "Bearer s3cret-token"));

            assertEquals(problem("unauthorized", "Authentication required", 401,
                    "missing Authorization: Bearer header"), none.body());
            assertEquals(401, none.status());
            assertEquals("Bearer realm=\"unitguard\"", none.headers().get("WWW-Authenticate"));
            assertEquals(problem("unauthorized", "Authentication required", 401,
                    "the bearer token is not the configured one"), wrong.body());
            assertEquals(200, right.status());
        }
    }

    @Test
    void tcp_metricsAndLiveness_needNoToken(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer live = agent.tcp(HttpMethod.GET, "/health/live", null, Map.of());
            TestAgent.Answer metrics = agent.tcp(HttpMethod.GET, "/metrics", null, Map.of());

            assertEquals("{\n  \"status\" : \"up\",\n  \"checks\" : { }\n}\n", live.body());
            assertEquals(200, metrics.status());
        }
    }

    @Test
    void tcp_metrics_negotiatedFormatAndUnitChangesOnTheNextScrape(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer before = agent.tcp(HttpMethod.GET, "/metrics", null, Map.of());
            agent.metrics.units(List.of(new dev.unitguard.metrics.UnitSample("new.service", "failed", "failed", 2,
                    Optional.empty())));
            TestAgent.Answer after = agent.tcp(HttpMethod.GET, "/metrics", null, Map.of());
            TestAgent.Answer open = agent.tcp(HttpMethod.GET, "/metrics", null,
                    Map.of("Accept", "application/openmetrics-text; version=1.0.0, text/plain;q=0.5"));

            assertEquals("text/plain; version=0.0.4; charset=utf-8", before.contentType());
            assertFalse(before.body().contains("new.service"), before.body());
            assertTrue(after.body().contains("unitguard_unit_restarts{unit=\"new.service\"} 2.0"), after.body());
            assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", open.contentType());
            assertTrue(open.body().endsWith("# EOF\n"), open.body());
        }
    }

    @Test
    void ready_systemdUnreachable_503SaysWhy(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer ready = agent.tcp(HttpMethod.GET, "/health/ready", null, Map.of());

            assertEquals(503, ready.status());
            assertEquals("""
                    {
                      "status" : "down",
                      "checks" : {
                        "config" : "up",
                        "listeners" : "up",
                        "systemd" : "down: Subscribe(): D-Bus connection to unix:path=%s lost: cannot connect: \
                    Failed to connect to bus: No such file or directory"
                      }
                    }
                    """.formatted(dir.resolve("no-bus")), ready.body());
        }
    }

    @Test
    void openApi_servedDocument_sameAsDocsCopy(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer answer = agent.unix(HttpMethod.GET, "/v1/openapi.json", null);

            assertEquals(200, answer.status());
            assertEquals(Files.readString(Path.of("../docs/openapi.json")), answer.body());
            JsonNode paths = JsonBodies.MAPPER.readTree(answer.body()).get("paths");
            assertEquals(List.of("/v1/units", "/v1/units/{unit}", "/v1/units/{unit}/check",
                    "/v1/units/{unit}/recommend", "/v1/units/{unit}/hardening", "/v1/units/{unit}/history",
                    "/v1/units/{unit}/rollback",
                    "/v1/units/{unit}/file", "/v1/units/{unit}/enable", "/v1/units/{unit}/disable",
                    "/v1/units/{unit}/permissions", "/v1/units/{unit}/permissions/fix", "/v1/units/{unit}/learn",
                    "/v1/units/{unit}/requirements", "/v1/openapi.json",
                    "/health/live", "/health/ready", "/metrics"), fieldNames(paths));
        }
    }

    @Test
    void unixSocket_createdWithConfiguredMode(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(agent.socket())));
        }
    }

    @Test
    void unixSocket_nonMemberUser_403(Vertx vertx) throws Exception {
        assumeRoot();
        try (TestAgent agent = TestAgent.start(vertx, dir, c -> withMode(c, 0666, List.of()))) {
            Curl answer = curlAs("65534", agent.socket(), "GET", "/v1/units/app.service");

            assertEquals(403, answer.status());
            assertEquals(problem("forbidden", "Forbidden", 403,
                    "user nobody is neither root nor a member of group unitguard-test-none"), answer.body());
        }
    }

    @Test
    void unixSocket_readOnlyGroup_getAllowedPost403(Vertx vertx) throws Exception {
        assumeRoot();
        try (TestAgent agent = TestAgent.start(vertx, dir, c -> withMode(c, 0666, List.of("nogroup")))) {
            Curl get = curlAs("65534", agent.socket(), "GET", "/v1/units/app.service");
            Curl post = curlAs("65534", agent.socket(), "POST", "/v1/units/app.service/check");

            assertEquals(200, get.status(), get.body());
            assertEquals(problem("forbidden", "Forbidden", 403, "user nobody may only use read-only (GET) routes; "
                    + "POST needs root or group unitguard-test-none"), post.body());
        }
    }

    @Test
    void unixSocket_root_fullAccess(Vertx vertx) throws Exception {
        assumeRoot();
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            Curl post = curlAs("0", agent.socket(), "POST", "/v1/units/app.service/check");

            assertEquals(200, post.status(), post.body());
        }
    }

    record Curl(int status, String body) {
    }

    /** curl over the Unix socket as another user (setpriv), the way a deploy script would call the agent. */
    private static Curl curlAs(String uid, Path socket, String method, String uri) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups", "curl", "-s", "--max-time", "20", "-w", "\n%{http_code}", "-X", method,
                "--unix-socket", socket.toString(), "http://localhost" + uri));
        if (method.equals("POST")) {
            command.addAll(List.of("-H", "Content-Type: application/json", "-d", "{}"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        int newline = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(newline + 1).strip()), out.substring(0, newline));
    }

    private void assumeRoot() throws Exception {
        // @TempDir is 0700: let the other user reach the socket below it.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Process id = new ProcessBuilder("id", "-u").start();
        assumeTrue(new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().equals("0"),
                "needs root to run curl as another user");
    }

    private static AgentConfig withTcp(AgentConfig c, AgentConfig.Tcp tcp) {
        return new AgentConfig(c.unixSocket(), tcp, c.maxBodyBytes(), c.root(), c.systemdBus(), c.resyncInterval(),
                c.shutdownTimeout(), c.logLevel());
    }

    private static AgentConfig withMode(AgentConfig c, int mode, List<String> readOnlyGroups) {
        AgentConfig.UnixSocket u = c.unixSocket();
        return new AgentConfig(new AgentConfig.UnixSocket(true, u.path(), u.group(), mode, readOnlyGroups), c.tcp(),
                c.maxBodyBytes(), c.root(), c.systemdBus(), c.resyncInterval(), c.shutdownTimeout(), c.logLevel());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The CLI in its own JVM, as a user would run it; returns its standard output. */
    static String runCli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "dev.unitguard.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return out;
    }
}
