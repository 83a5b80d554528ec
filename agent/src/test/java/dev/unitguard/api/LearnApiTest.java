package dev.unitguard.api;

import static dev.unitguard.api.TestAgent.badRequest;
import static dev.unitguard.api.TestAgent.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The learn and requirements routes without systemd: the store, the body checks, the refusals. */
@ExtendWith(VertxExtension.class)
class LearnApiTest {

    private static final String MANIFEST = """
            {"user": "app", "paths": [{"path": "/srv/app", "access": "rw", "learned": "StateDirectory=app"}],
             "network": {"listen": [{"protocol": "tcp", "address": "127.0.0.1", "port": 8080}]},
             "learned": {"mode": "observe", "durationSeconds": 60, "samples": 60, "at": "2026-11-30T04:00:00Z"}}""";

    @TempDir
    Path dir;
    TestAgent agent;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        agent = TestAgent.start(vertx, dir);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void putThenGet_storedAsWrittenPreviousKept() throws Exception {
        TestAgent.Answer put = agent.unix(HttpMethod.PUT, "/v1/units/app.service/requirements", MANIFEST);
        assertEquals(200, put.status(), put.body());
        TestAgent.Answer second = agent.unix(HttpMethod.PUT, "/v1/units/app.service/requirements",
                "{\"paths\": [{\"path\": \"/srv/app\", \"access\": \"r\"}]}");
        assertEquals(200, second.status(), second.body());

        TestAgent.Answer get = agent.unix(HttpMethod.GET, "/v1/units/app.service/requirements", null);

        assertEquals(200, get.status(), get.body());
        assertEquals(JsonBodies.MAPPER.readTree("{\"paths\": [{\"path\": \"/srv/app\", \"access\": \"r\"}]}"),
                JsonBodies.MAPPER.readTree(get.body()));
        Path stored = dir.resolve("state/requirements");
        assertEquals(JsonBodies.MAPPER.readTree(MANIFEST),
                JsonBodies.MAPPER.readTree(Files.readString(stored.resolve("app.service.previous.json"))));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(stored.resolve("app.service.json"))));
    }

    @Test
    void get_nothingStored_404SaysHowToGetOne() throws Exception {
        TestAgent.Answer get = agent.unix(HttpMethod.GET, "/v1/units/app.service/requirements", null);

        assertEquals(problem("not-found", "Not found", 404, "no requirements stored for app.service (PUT them, or "
                + "POST /v1/units/app.service/learn)"), get.body());
    }

    @Test
    void put_badAccess_400NamesTheField() throws Exception {
        TestAgent.Answer put = agent.unix(HttpMethod.PUT, "/v1/units/app.service/requirements",
                "{\"paths\": [{\"path\": \"/srv/app\", \"access\": \"rq\"}]}");

        assertEquals(400, put.status(), put.body());
        assertTrue(put.body().contains("\"pointer\" : \"/paths/0/access\""), put.body());
        assertTrue(Files.notExists(dir.resolve("state/requirements/app.service.json")));
    }

    @Test
    void put_unknownUnit_404() throws Exception {
        TestAgent.Answer put = agent.unix(HttpMethod.PUT, "/v1/units/nope.service/requirements", MANIFEST);

        assertEquals(404, put.status(), put.body());
    }

    @Test
    void learn_durationOutOfRange_400() throws Exception {
        TestAgent.Answer learn = agent.unix(HttpMethod.POST, "/v1/units/app.service/learn",
                "{\"durationSeconds\": 3601}");

        assertEquals(badRequest("/durationSeconds", "$.durationSeconds: expected an integer from 1 to 3600, got 3601"),
                learn.body());
    }

    @Test
    void learn_unknownMode_400() throws Exception {
        TestAgent.Answer learn = agent.unix(HttpMethod.POST, "/v1/units/app.service/learn", "{\"mode\": \"guess\"}");

        assertEquals(badRequest("/mode", "$.mode: expected \"observe\" or \"trace\", got \"guess\""), learn.body());
    }

    @Test
    void learn_withoutSystemd_503() throws Exception {
        TestAgent.Answer learn = agent.unix(HttpMethod.POST, "/v1/units/app.service/learn", "");

        assertEquals(503, learn.status(), learn.body());
        assertTrue(learn.body().contains("learning needs systemd"), learn.body());
    }
}
