package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.unitguard.json.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unitguard score --format sarif}: valid SARIF 2.1.0, one result per check not fully met, at its line. */
class SarifLogTest {

    @TempDir
    Path dir;

    @Test
    void sarif_validAgainstSarif210Schema_oneResultPerFailingCheckWithFileAndLine() throws Exception {
        Path system = Files.createDirectories(dir.resolve("etc/systemd/system"));
        Path app = Files.writeString(system.resolve("app.service"), """
                [Unit]
                Description=app

                [Service]
                ExecStart=/usr/bin/true
                ProtectSystem=full
                PrivateNetwork=no
                """);
        Files.createDirectories(system.resolve("app.service.d"));
        Path dropIn = Files.writeString(system.resolve("app.service.d/10-user.conf"), "[Service]\nUser=root\n");
        CliRun json = CliRun.of("score", "--root", dir.toString(), "--json", app.toString());
        CliRun run = CliRun.of("score", "--root", dir.toString(), "--format", "sarif", "--fail-on-predicate",
                "PrivateNetwork", app.toString());

        JsonNode log = Json.tree(run.out());
        assertEquals(List.of(), schema().validate(log).stream().map(Error::toString).toList(), run.out());
        assertEquals(1, run.status(), run.err());
        List<String> failing = new ArrayList<>();
        Json.tree(json.out()).get(0).get("checks").forEach(c -> {
            if (c.path("badness").isNumber() && c.get("badness").asLong() > 0) {
                failing.add(c.get("jsonField").asText());
            }
        });
        List<String> results = new ArrayList<>();
        log.at("/runs/0/results").forEach(r -> results.add(r.get("ruleId").asText()));
        assertEquals(failing, results, "one result per check not fully met, in systemd's order");
        assertEquals("app.service:6:warning", where(log, "ProtectSystem", app));
        assertEquals("app.service:7:error", where(log, "PrivateNetwork", app));
        assertEquals("10-user.conf:2:warning", where(log, "UserOrDynamicUser", dropIn));
        assertEquals("app.service:4:warning", where(log, "PrivateTmp", app), "unset: the [Service] header");
    }

    @Test
    void sarif_unitAboveThreshold_overallResultIsAnError() throws Exception {
        Path app = Files.writeString(dir.resolve("app.service"), "[Service]\nExecStart=/usr/bin/true\n");

        CliRun run = CliRun.of("score", "--format", "sarif", "--threshold", "5", app.toString());

        JsonNode log = Json.tree(run.out());
        assertEquals(List.of(), schema().validate(log).stream().map(Error::toString).toList(), run.out());
        JsonNode overall = log.at("/runs/0/results").get(log.at("/runs/0/results").size() - 1);
        assertEquals("OverallExposure error", overall.get("ruleId").asText() + " " + overall.get("level").asText());
        assertEquals(1, run.status(), run.err());
        assertEquals(2, schema().validate(Json.tree("{\"version\": \"2.0.0\", \"runs\": [{}]}")).size(),
                "the schema refuses a wrong version and a run without a tool");
    }

    @Test
    void uri_underWorkingDirectoryRelative_elsewhereFileUri() {
        assertEquals("deploy/systemd/my%20app.service",
                SarifLog.uri(Path.of("/repo/deploy/systemd/my app.service"), Path.of("/repo")));
        assertEquals("file:///etc/systemd/system/app.service",
                SarifLog.uri(Path.of("/etc/systemd/system/app.service"), Path.of("/repo")));
    }

    @Test
    void directives_checkIdsNameTheirDirectives() {
        assertEquals(List.of("User", "DynamicUser"), SarifLog.directives("User=/DynamicUser="));
        assertEquals(List.of("SystemCallFilter"), SarifLog.directives("SystemCallFilter=~@swap"));
        assertEquals(List.of("CapabilityBoundingSet"), SarifLog.directives("CapabilityBoundingSet=~CAP_(CHOWN|FSETID)"));
    }

    /** "file:line:level" of the result of {@code ruleId}, the file relative to {@code file}'s directory. */
    private static String where(JsonNode log, String ruleId, Path file) {
        for (JsonNode r : log.at("/runs/0/results")) {
            if (r.get("ruleId").asText().equals(ruleId)) {
                JsonNode physical = r.at("/locations/0/physicalLocation");
                String uri = physical.at("/artifactLocation/uri").asText();
                assertEquals(file.toUri().toString().replace("file:///", "file:/"), uri.replace("file:///", "file:/"));
                return file.getFileName() + ":" + physical.at("/region/startLine").asInt() + ":"
                        + r.get("level").asText();
            }
        }
        throw new AssertionError("no result for " + ruleId);
    }

    private static Schema schema() throws Exception {
        try (InputStream in = SarifLogTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
    }
}
