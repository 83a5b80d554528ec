package dev.unitguard.api;

import static dev.unitguard.api.TestAgent.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change routes over a real server and the real engine, with systemd faked ({@link FakePort}): each outcome's
 * status and body, and each error as problem+json.
 */
@ExtendWith(VertxExtension.class)
class ChangeApiTest {

    static final String SAFE = "{\"set\": {\"PrivateTmp\": \"yes\", \"NoNewPrivileges\": \"yes\"}, \"restart\": true}";
    static final String BREAKING = "{\"set\": {\"ReadWritePaths\": \"/missing\"}, \"restart\": true}";
    static final String HARDENING = "/v1/units/app.service/hardening";

    @TempDir
    Path dir;
    TestAgent agent;
    Path dropIn;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        Path root = dir.resolve("root");
        for (String d : java.util.List.of("usr/bin", "var/lib", "tmp", "root", "home", "dev", "proc", "sys", "run")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("usr/bin/app"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("usr/bin/app"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        agent = TestAgent.start(vertx, dir);
        dropIn = agent.config.root().resolve("etc/systemd/system/app.service.d/50-unitguard.conf");
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    private TestAgent.Answer send(HttpMethod method, String uri, String body) throws Exception {
        return agent.unix(method, uri, body);
    }

    private static JsonNode json(TestAgent.Answer answer) throws Exception {
        return JsonBodies.MAPPER.readTree(answer.body());
    }

    @Test
    void putHardening_safeCandidate_200AppliedThenUnchanged() throws Exception {
        TestAgent.Answer first = send(HttpMethod.PUT, HARDENING, SAFE);
        TestAgent.Answer second = send(HttpMethod.PUT, HARDENING, SAFE);

        assertEquals(200, first.status(), first.body());
        assertEquals("application/json", first.contentType());
        JsonNode applied = json(first);
        assertEquals("applied app.service 1 true", applied.get("outcome").textValue() + " "
                + applied.get("unit").textValue() + " " + applied.get("historyId").longValue() + " "
                + applied.get("restarted").booleanValue());
        assertEquals(dropIn.toString(), applied.get("path").textValue());
        assertTrue(Files.readString(dropIn).contains("NoNewPrivileges=yes\nPrivateTmp=yes\n"), Files.readString(dropIn));
        assertEquals(200, second.status());
        assertEquals("{\"outcome\":\"unchanged\",\"unit\":\"app.service\",\"path\":\"" + dropIn + "\"}\n",
                second.body());
        assertEquals(1, agent.port.calls.stream().filter(c -> c.equals("restart app.service")).count(),
                agent.port.calls.toString());
    }

    @Test
    void putHardening_breakingCandidate_422ApplyRefusedWithReasons() throws Exception {
        TestAgent.Answer answer = send(HttpMethod.PUT, HARDENING, BREAKING);

        assertEquals(422, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.contentType());
        JsonNode body = json(answer);
        assertEquals("https://unitguard.dev/problems/apply-refused", body.get("type").textValue());
        assertEquals("refused", body.get("outcome").textValue());
        assertEquals(226, body.get("exitStatus").intValue());
        assertEquals("NAMESPACE", body.get("exitStatusName").textValue());
        assertTrue(body.get("reasons").size() > 0, answer.body());
        assertTrue(body.get("detail").textValue().startsWith(
                "app.service: not applied, the checks say the service would break: "), answer.body());
        assertTrue(body.get("check").isObject(), answer.body());
        assertFalse(Files.exists(dropIn), "nothing written");
    }

    @Test
    void putHardening_breakingForced_409RolledBackWith226() throws Exception {
        TestAgent.Answer answer = send(HttpMethod.PUT, HARDENING,
                BREAKING.replace("}, \"restart\"", "}, \"force\": true, \"restart\""));

        assertEquals(409, answer.status(), answer.body());
        assertEquals("application/json", answer.contentType());
        JsonNode body = json(answer);
        assertEquals("rolled_back", body.get("outcome").textValue());
        assertEquals(226, body.get("failure").get("exitStatus").intValue(), answer.body());
        assertEquals("app.service: Main process exited, code=exited, status=226/NAMESPACE",
                body.get("failure").get("journal").get(0).textValue());
        assertFalse(Files.exists(dropIn), "the new drop-in was removed");
    }

    @Test
    void putHardening_rollbackFails_500RollbackFailed() throws Exception {
        agent.port.failReloadFrom = 2;

        TestAgent.Answer answer = send(HttpMethod.PUT, HARDENING,
                BREAKING.replace("}, \"restart\"", "}, \"force\": true, \"restart\""));

        assertEquals(500, answer.status(), answer.body());
        JsonNode body = json(answer);
        assertEquals("rollback_failed", body.get("outcome").textValue());
        assertTrue(body.get("rollbackError").textValue().contains("AccessDenied"), answer.body());
    }

    @Test
    void history_afterApplyAndRemove_entriesWithPeerUid() throws Exception {
        send(HttpMethod.PUT, HARDENING, SAFE);
        TestAgent.Answer removed = send(HttpMethod.DELETE, HARDENING, null);
        TestAgent.Answer history = send(HttpMethod.GET, "/v1/units/app.service/history", null);

        assertEquals(200, removed.status(), removed.body());
        assertFalse(Files.exists(dropIn));
        assertEquals(200, history.status(), history.body());
        JsonNode entries = json(history).get("entries");
        assertEquals(2, entries.size(), history.body());
        assertEquals("SET_HARDENING uid:" + uid() + " APPLIED", entries.get(0).get("operation").textValue() + " "
                + entries.get(0).get("principal").textValue() + " " + entries.get(0).get("outcome").textValue());
        assertEquals("REMOVE_HARDENING", entries.get(1).get("operation").textValue());
    }

    @Test
    void rollback_toFirstEntry_200AppliedFileBack() throws Exception {
        send(HttpMethod.PUT, HARDENING, SAFE);
        String first = Files.readString(dropIn);
        send(HttpMethod.PUT, HARDENING, "{\"set\": {\"PrivateTmp\": \"yes\"}}");

        TestAgent.Answer answer = send(HttpMethod.POST, "/v1/units/app.service/rollback", "{\"to\": 1}");

        assertEquals(200, answer.status(), answer.body());
        assertEquals("applied", json(answer).get("outcome").textValue());
        assertEquals(first, Files.readString(dropIn));
    }

    @Test
    void rollback_unknownEntry_404() throws Exception {
        TestAgent.Answer answer = send(HttpMethod.POST, "/v1/units/app.service/rollback", "{\"to\": 7}");

        assertEquals(404, answer.status(), answer.body());
        assertEquals("https://unitguard.dev/problems/history-entry-not-found", json(answer).get("type").textValue());
    }

    @Test
    void idempotencyKey_retried_firstAnswerAgainOtherBody422() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "deploy-42");
        TestAgent.Answer first = agent.unixWith(HttpMethod.PUT, HARDENING, SAFE, key);
        Files.delete(dropIn);
        TestAgent.Answer retried = agent.unixWith(HttpMethod.PUT, HARDENING, SAFE, key);
        TestAgent.Answer other = agent.unixWith(HttpMethod.PUT, HARDENING, "{\"set\": {\"PrivateTmp\": \"no\"}}", key);

        assertEquals(first.body(), retried.body());
        assertFalse(Files.exists(dropIn), "the retry replayed the answer, it wrote nothing");
        assertEquals(422, other.status(), other.body());
        assertEquals("https://unitguard.dev/problems/idempotency-key-reused", json(other).get("type").textValue());
    }

    @Test
    void putHardening_unknownUnit_404() throws Exception {
        TestAgent.Answer answer = send(HttpMethod.PUT, "/v1/units/nothere.service/hardening", SAFE);

        assertEquals(404, answer.status(), answer.body());
        assertEquals("https://unitguard.dev/problems/unit-not-found", json(answer).get("type").textValue());
    }

    @Test
    void putHardening_timeoutOutOfRange_400NamesField() throws Exception {
        assertEquals(TestAgent.badRequest("/timeoutSeconds", "$.timeoutSeconds: expected an integer from 1 to 600, got 0"),
                send(HttpMethod.PUT, HARDENING, "{\"set\": {}, \"timeoutSeconds\": 0}").body());
    }

    @Test
    void putHardening_unknownDirective_400NamesDirective() throws Exception {
        TestAgent.Answer answer = send(HttpMethod.PUT, HARDENING, "{\"set\": {\"PrivateTmpp\": \"yes\"}}");

        assertEquals(400, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(TestAgent.badRequest("/set/PrivateTmpp",
                "$.set.PrivateTmpp: Unknown key 'PrivateTmpp' in section [Service]"), answer.body());
    }

    @Test
    void putHardening_badHealth_400NamesField() throws Exception {
        assertEquals(TestAgent.badRequest("/health/exec", "$.health.exec: must start with an absolute path: [true]"),
                send(HttpMethod.PUT, HARDENING, "{\"set\": {}, \"health\": {\"exec\": [\"true\"]}}").body());
    }

    @Test
    void putHardening_systemdUnreachable_503() throws Exception {
        agent.port.down = true;

        TestAgent.Answer answer = send(HttpMethod.PUT, HARDENING, SAFE);

        assertEquals(503, answer.status(), answer.body());
        assertEquals("https://unitguard.dev/problems/systemd-unavailable", json(answer).get("type").textValue());
    }

    @Test
    void unitFile_putEnableDisableDelete_200Each() throws Exception {
        String text = "[Service]\nExecStart=/usr/bin/app --other\nUser=app\n";
        TestAgent.Answer put = send(HttpMethod.PUT, "/v1/units/other.service/file",
                JsonBodies.MAPPER.createObjectNode().put("content", text).toString());
        Path file = agent.config.root().resolve("etc/systemd/system/other.service");

        assertEquals(200, put.status(), put.body());
        assertEquals(text, Files.readString(file));
        assertEquals(200, send(HttpMethod.POST, "/v1/units/other.service/enable", null).status());
        assertEquals(200, send(HttpMethod.POST, "/v1/units/other.service/disable", null).status());
        assertTrue(agent.port.calls.containsAll(java.util.List.of("enable other.service", "disable other.service")));
        TestAgent.Answer delete = send(HttpMethod.DELETE, "/v1/units/other.service/file", null);
        assertEquals(200, delete.status(), delete.body());
        assertFalse(Files.exists(file));
    }

    @Test
    void unitFile_missingContent_400() throws Exception {
        assertEquals(TestAgent.badRequest("/content", "$.content: expected the unit file's text as a string"),
                send(HttpMethod.PUT, "/v1/units/other.service/file", "{}").body());
    }

    @Test
    void metrics_afterApply_countedByOutcomeWithGeneration() throws Exception {
        send(HttpMethod.PUT, HARDENING, SAFE);
        String scrape = agent.metrics.scrape(null).body();

        assertTrue(scrape.contains("unitguard_applies_total{operation=\"set_hardening\",outcome=\"applied\"} 1.0"),
                scrape);
        assertTrue(scrape.contains("unitguard_applies_total{operation=\"set_hardening\",outcome=\"refused\"} 0.0"),
                scrape);
        assertTrue(scrape.contains("unitguard_unit_dropin_generation{unit=\"app.service\"} 1.0"), scrape);
        assertTrue(scrape.contains("unitguard_apply_duration_seconds_count{operation=\"set_hardening\"} 1"), scrape);
    }

    private static String uid() throws Exception {
        return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
