package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/units/{unit}/recommend} over a real server: the body's manifest, the stored one, none. */
@ExtendWith(VertxExtension.class)
class RecommendApiTest {

    private static final String MANIFEST = "{\"paths\": [{\"path\": \"/srv/app\", \"access\": \"rw\"}]}";

    @TempDir
    Path dir;

    /** The app's program and its directory, owned by app (990): what the manifest needs, as on a real host. */
    static void appTree(Path root) throws Exception {
        Path program = root.resolve("usr/bin/app");
        Files.createDirectories(program.getParent());
        Files.writeString(program, "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path app = Files.createDirectories(root.resolve("srv/app"));
        Files.setAttribute(app, "unix:uid", 990);
        Files.setAttribute(app, "unix:gid", 990);
    }

    @Test
    void recommend_bodyManifest_sameAnswerAsCliJson(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            appTree(agent.config.root());
            Path manifestFile = Files.writeString(dir.resolve("manifest.json"), MANIFEST);

            TestAgent.Answer api = agent.unix(HttpMethod.POST, "/v1/units/app.service/recommend",
                    "{\"requires\": " + MANIFEST + "}");

            String cli = ApiTest.runCli("recommend", "--json", "--root", agent.config.root().toString(),
                    "--requires", manifestFile.toString(),
                    agent.config.root().resolve("etc/systemd/system/app.service").toString());
            assertEquals(200, api.status(), api.body());
            // the same answer, but for the unit's exposure before: the agent scores as the running systemd does
            // (live), the command line as systemd-analyze --offline=true
            ObjectNode fromCli = (ObjectNode) JsonBodies.MAPPER.readTree(cli);
            ObjectNode fromApi = (ObjectNode) JsonBodies.MAPPER.readTree(api.body());
            EffectiveUnit unit = UnitLoader.forRoot(agent.config.root()).load("app.service");
            assertEquals(SecurityAssessor.assess(unit.live()).exposure(),
                    ((ObjectNode) fromApi.get("exposure")).remove("before").decimalValue());
            assertEquals(SecurityAssessor.assess(unit).exposure(),
                    ((ObjectNode) fromCli.get("exposure")).remove("before").decimalValue());
            assertEquals(fromCli, fromApi);
            JsonNode body = JsonBodies.MAPPER.readTree(api.body());
            assertEquals("strict", body.get("set").get("ProtectSystem").textValue());
            assertEquals("-/srv/app", body.get("set").path("ReadWritePaths").textValue(), api.body());
            assertEquals("static", body.get("verified").textValue());
        }
    }

    @Test
    void recommend_storedManifest_usedWhenBodyHasNone(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            appTree(agent.config.root());
            Path stored = agent.apply.settings().stateDirectory().resolve("requirements/app.service.json");
            Files.createDirectories(stored.getParent());
            Files.writeString(stored, MANIFEST);

            TestAgent.Answer fromStore = agent.unix(HttpMethod.POST, "/v1/units/app.service/recommend", null);
            TestAgent.Answer fromBody = agent.unix(HttpMethod.POST, "/v1/units/app.service/recommend",
                    "{\"requires\": " + MANIFEST + "}");

            assertEquals(200, fromStore.status(), fromStore.body());
            assertEquals(fromBody.body(), fromStore.body());
        }
    }

    @Test
    void recommend_noManifestAnywhere_422NamingRequires(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer answer = agent.unix(HttpMethod.POST, "/v1/units/app.service/recommend", "{}");

            Path file = agent.apply.settings().stateDirectory().resolve("requirements/app.service.json");
            assertEquals(TestAgent.problemAt("no-requirements", "No requirements manifest for the unit", 422,
                    "/requires", "$.requires: no manifest in the body and none stored for app.service (" + file
                            + ")"), answer.body());
        }
    }

    @Test
    void recommend_probeWithoutSystemd_503(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer answer = agent.unix(HttpMethod.POST, "/v1/units/app.service/recommend",
                    "{\"requires\": " + MANIFEST + ", \"probe\": true}");

            assertEquals(503, answer.status(), answer.body());
            assertTrue(answer.body().contains("the probe needs systemd"), answer.body());
        }
    }
}
