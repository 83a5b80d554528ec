package dev.unitguard.api;

import static dev.unitguard.api.TestAgent.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The permission routes on real files (the field reports' case: a database owned by root that the service user
 * must write): the report, the dry run, the fix, and the findings gauge.
 */
@ExtendWith(VertxExtension.class)
class PermissionsApiTest {

    static final String REQUIRES = "{\"requires\": {\"paths\": [{\"path\": \"/srv/app/app.db\", \"access\": \"w\"}]}";

    @TempDir
    Path dir;
    TestAgent agent;
    Path db;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        db = dir.resolve("root/srv/app/app.db");
        Files.createDirectories(db.getParent());
        Files.writeString(db, "data");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        agent = TestAgent.start(vertx, dir);
    }

    @AfterEach
    void stop() throws Exception {
        agent.close();
    }

    @Test
    void permissions_rootOwnedDbServiceWrites_findingWithChownFix() throws Exception {
        TestAgent.Answer answer = agent.unix(HttpMethod.POST, "/v1/units/app.service/permissions", REQUIRES + "}");

        assertEquals(200, answer.status(), answer.body());
        JsonNode report = JsonBodies.MAPPER.readTree(answer.body());
        assertEquals("app", report.get("user").textValue());
        assertTrue(answer.body().contains("chown app:app " + "/srv/app/app.db"), answer.body());
        String scrape = agent.metrics.scrape(null).body();
        assertEquals("access-denied high /srv/app/app.db", report.get("findings").get(0).get("id").textValue() + " "
                + report.get("findings").get(0).get("severity").textValue() + " "
                + report.get("findings").get(0).get("path").textValue());
        assertTrue(scrape.contains("unitguard_unit_findings{severity=\"high\",unit=\"app.service\"} 1.0"), scrape);
        assertTrue(scrape.contains("unitguard_unit_findings{severity=\"critical\",unit=\"app.service\"} 0.0"), scrape);
    }

    @Test
    void fix_dryRunByDefault_plannedNothingChanged() throws Exception {
        TestAgent.Answer answer = agent.unix(HttpMethod.POST, "/v1/units/app.service/permissions/fix",
                REQUIRES + "}");

        assertEquals(200, answer.status(), answer.body());
        JsonNode body = JsonBodies.MAPPER.readTree(answer.body());
        assertTrue(body.get("dryRun").booleanValue());
        assertEquals("PLANNED", body.get("changes").get(0).get("outcome").textValue(), answer.body());
        assertEquals(0, Files.getAttribute(db, "unix:uid"));
    }

    @Test
    void fix_notDryRun_ownerChangedAndNoFindingLeft() throws Exception {
        TestAgent.Answer answer = agent.unix(HttpMethod.POST, "/v1/units/app.service/permissions/fix",
                REQUIRES + ", \"dryRun\": false}");

        assertEquals(200, answer.status(), answer.body());
        JsonNode body = JsonBodies.MAPPER.readTree(answer.body());
        assertEquals("APPLIED", body.get("changes").get(0).get("outcome").textValue(), answer.body());
        assertEquals(990, Files.getAttribute(db, "unix:uid"));
        assertEquals(0, body.get("after").get("findings").size(), answer.body());
    }

    @Test
    void permissions_unknownField_400() throws Exception {
        assertEquals(TestAgent.badRequest("/dryRun", "$.dryRun: unknown field (known: requires)"),
                agent.unix(HttpMethod.POST, "/v1/units/app.service/permissions", "{\"dryRun\": true}").body());
    }

    @Test
    void permissions_unknownUnit_404() throws Exception {
        assertEquals(problem("unit-not-found", "Unit not found", 404, "no unit nothere.service in the unit search path"),
                agent.unix(HttpMethod.POST, "/v1/units/nothere.service/permissions", REQUIRES + "}").body());
    }
}
