package dev.unitguard.api;

import static dev.unitguard.api.TestAgent.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every error status of the API, sent the bad input over a real server; the whole problem+json body is checked. */
@ExtendWith(VertxExtension.class)
class ApiErrorsTest {

    @TempDir
    Path dir;
    TestAgent agent;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        agent = TestAgent.start(vertx, dir, c -> new dev.unitguard.config.AgentConfig(c.unixSocket(), c.tcp(), 1024,
                c.root(), c.systemdBus(), c.resyncInterval(), c.shutdownTimeout(), c.logLevel()));
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    private void assertProblem(TestAgent.Answer answer, String expectedBody) {
        assertEquals(expectedBody, answer.body());
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(Integer.parseInt(expectedBody.replaceAll("(?s).*\"status\" : (\\d+).*", "$1")), answer.status());
    }

    @Test
    void check_bodyNotJson_400NamesPosition() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check", "{\"set\": "),
                TestAgent.badRequest("", "$: not valid JSON: Unexpected end-of-input within/between Object entries"
                        + " at line 1, column 9"));
    }

    @Test
    void check_unknownField_400NamesField() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check", "{\"sett\": {}}"),
                TestAgent.badRequest("/sett", "$.sett: unknown field (known: probe, requires, set)"));
    }

    @Test
    void check_setValueNotString_400NamesDirective() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check", "{\"set\": {\"ProtectSystem\": 1}}"),
                TestAgent.badRequest("/set/ProtectSystem", "$.set.ProtectSystem: expected a string or an array of strings"));
    }

    @Test
    void check_unknownDirective_400InSystemdsWords() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check",
                        "{\"set\": {\"ProtectSystm\": \"strict\"}}"),
                TestAgent.badRequest("/set/ProtectSystm",
                        "$.set.ProtectSystm: Unknown key 'ProtectSystm' in section [Service]"));
    }

    @Test
    void check_manifestBadAccess_400NamesManifestField() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check",
                        "{\"requires\": {\"paths\": [{\"path\": \"/srv/app\", \"access\": \"rwz\"}]}}"),
                TestAgent.badRequest("/requires/paths/0/access",
                        "$.requires.paths[0].access: bad access letter 'z' in \"rwz\" (use r, w, x)"));
    }

    @Test
    void check_probeNotBoolean_400() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check", "{\"probe\": \"yes\"}"),
                TestAgent.badRequest("/probe", "$.probe: expected true or false"));
    }

    @Test
    void getUnit_noTypeSuffix_400InvalidUnitName() throws Exception {
        assertProblem(agent.unix(HttpMethod.GET, "/v1/units/app", null),
                problem("invalid-unit-name", "Invalid unit name", 400,
                        "invalid unit name 'app': no unit type suffix such as .service"));
    }

    @Test
    void getUnit_encodedSlash_400BeforeFileSystem() throws Exception {
        assertProblem(agent.unix(HttpMethod.GET, "/v1/units/..%2F..%2Fetc%2Fpasswd.service", null),
                problem("invalid-unit-name", "Invalid unit name", 400,
                        "invalid unit name '../../etc/passwd.service': contains '..'"));
    }

    @Test
    void getUnit_slashInName_400() throws Exception {
        assertProblem(agent.unix(HttpMethod.GET, "/v1/units/etc%2Fpasswd.service", null),
                problem("invalid-unit-name", "Invalid unit name", 400,
                        "invalid unit name 'etc/passwd.service': contains '/'"));
    }

    @Test
    void getUnit_unknownUnit_404() throws Exception {
        assertProblem(agent.unix(HttpMethod.GET, "/v1/units/nope.service", null),
                problem("unit-not-found", "Unit not found", 404, "no unit nope.service in the unit search path"));
    }

    @Test
    void check_unknownUnit_404() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/nope.service/check", "{}"),
                problem("unit-not-found", "Unit not found", 404, "no unit nope.service in the unit search path"));
    }

    @Test
    void check_bodyOverLimit_413() throws Exception {
        String body = "{\"set\": {\"Description\": \"" + "x".repeat(2000) + "\"}}";
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check", body),
                problem("payload-too-large", "Request body too large", 413,
                        "the request body is larger than maxBodyBytes (1024 bytes)"));
    }

    @Test
    void check_probeTrueSystemdUnreachable_503() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check", "{\"probe\": true}"),
                TestAgent.problemAt("systemd-unavailable", "systemd unavailable", 503, "/probe",
                        "$.probe: the probe needs systemd: Subscribe(): D-Bus connection to unix:path="
                        + dir.resolve("no-bus") + " lost: cannot connect: Failed to connect to bus: No such file or"
                        + " directory"));
    }

    @Test
    void check_manifestUnknownUser_400() throws Exception {
        assertProblem(agent.unix(HttpMethod.POST, "/v1/units/app.service/check",
                        "{\"requires\": {\"user\": \"nosuchuser\"}}"),
                TestAgent.problemAt("bad-request", "Bad request", 400, "/requires/user",
                        "$.requires.user: unknown user \"nosuchuser\""));
    }

    @Test
    void listUnits_systemdUnreachable_503() throws Exception {
        assertProblem(agent.unix(HttpMethod.GET, "/v1/units", null),
                problem("systemd-unavailable", "systemd unavailable", 503, "cannot list units: Subscribe(): D-Bus "
                        + "connection to unix:path=" + dir.resolve("no-bus") + " lost: cannot connect: Failed to connect to bus: No such file or directory"));
    }

    @Test
    void tcpApi_noTokenFileConfigured_403() throws Exception {
        assertProblem(agent.tcp(HttpMethod.GET, "/v1/units", null, Map.of()),
                problem("forbidden", "Forbidden", 403,
                        "the /v1 API is not served on TCP unless tcp.tokenFile is configured; use the Unix socket"));
    }

    @Test
    void unknownPath_404() throws Exception {
        assertProblem(agent.unix(HttpMethod.GET, "/v2/units", null),
                problem("not-found", "Not found", 404, "no resource at /v2/units"));
    }

    @Test
    void wrongMethod_405() throws Exception {
        assertProblem(agent.unix(HttpMethod.DELETE, "/v1/units/app.service", null),
                problem("method-not-allowed", "Method not allowed", 405, "DELETE is not allowed on /v1/units/app.service"));
    }
}
