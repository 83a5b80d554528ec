package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy guide's database owned by root, through {@code unitguard perms} and {@code unitguard check}. */
class PermsCommandTest {

    @TempDir
    Path dir;
    private Path root;
    private Path unit;
    private Path manifest;
    private Path db;

    @BeforeEach
    void deployedApp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "a file owned by root for www-data needs root");
        root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("opt/app"));
        Files.setAttribute(root, "unix:mode", 0755);
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nwww-data:x:33:33::/var/www:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\nwww-data:x:33:\n");
        db = Files.writeString(root.resolve("opt/app/app_dev.db"), "SQLite format 3");
        Files.setAttribute(db, "unix:mode", 0644);
        unit = Files.writeString(dir.resolve("app.service"), "[Service]\nUser=www-data\nExecStart=/bin/true\n");
        manifest = Files.writeString(dir.resolve("app.requires.json"),
                "{\"paths\": [{\"path\": \"/opt/app/app_dev.db\", \"access\": \"rw\"}]}");
    }

    private CliRun perms(String... extra) {
        String[] args = new String[extra.length + 6];
        args[0] = "perms";
        System.arraycopy(extra, 0, args, 1, extra.length);
        System.arraycopy(new String[] {"--root", root.toString(), "--requires", manifest.toString(), unit.toString()},
                0, args, extra.length + 1, 5);
        return CliRun.of(args);
    }

    @Test
    void perms_databaseOwnedByRoot_printsTheFindingAndExits1() {
        CliRun run = perms();
        assertEquals(1, run.status(), run.err());
        assertEquals("""
                app.service: runs as www-data (uid 33), groups www-data
                  PATH                 ACCESS  OWNER      MODE  ACL  RESULT
                  /opt/app/app_dev.db  rw      root:root  0644  -    DENIED
                  findings:
                    high access-denied /opt/app/app_dev.db
                      www-data cannot write /opt/app/app_dev.db: it is owned by root:root with mode 0644
                      fix: chown www-data:www-data /opt/app/app_dev.db
                      or:  StateDirectory=app in [Service], with app_dev.db kept in /var/lib/app/: systemd creates \
                that directory owned by the service's user at every start
                      or:  tmpfiles.d line: z /opt/app/app_dev.db 0644 www-data www-data -
                """, run.out());
    }

    @Test
    void perms_json_hasLowerCaseSeverityAndTheChange() throws IOException {
        CliRun run = perms("--json");
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("high", json.at("/findings/0/severity").asText());
        assertEquals("access-denied", json.at("/findings/0/id").asText());
        assertEquals("www-data", json.at("/findings/0/changes/0/after/owner").asText());
        assertEquals(false, json.at("/paths/0/granted").asBoolean());
    }

    @Test
    void perms_failOnCritical_exits0() {
        assertEquals(0, perms("--fail-on", "critical").status());
    }

    @Test
    void perms_fix_chownsTheDatabaseAndExits0() throws IOException {
        CliRun run = perms("--fix");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().startsWith("changes:\n  applied: chown www-data:www-data /opt/app/app_dev.db\n"
                + "report after the changes:\n"), run.out());
        assertTrue(run.out().endsWith("  no findings\n"), run.out());
        assertEquals(33, Files.getAttribute(db, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void perms_fixDryRun_plansAndChangesNothing() throws IOException {
        CliRun run = perms("--fix", "--dry-run");
        assertEquals(1, run.status());
        assertTrue(run.out().startsWith("planned changes (dry run, nothing changed):\n"
                + "  planned: chown www-data:www-data /opt/app/app_dev.db\n"), run.out());
        assertEquals(0, Files.getAttribute(db, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void perms_dryRunWithoutFix_isUsageError() {
        CliRun run = perms("--dry-run");
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("unitguard: --dry-run needs --fix\n"), run.err());
    }

    @Test
    void perms_unknownSeverity_isUsageError() {
        CliRun run = perms("--fail-on", "severe");
        assertEquals(2, run.status());
        assertTrue(run.err().startsWith("unitguard: --fail-on: unknown severity \"severe\" (use info, low, medium,"
                + " high, critical)\n"), run.err());
    }

    @Test
    void perms_unknownManifestUser_isInputError() throws IOException {
        Files.writeString(manifest, "{\"user\": \"ghost\"}");
        CliRun run = perms();
        assertEquals(2, run.status());
        assertEquals("unitguard: " + manifest + ": requirements: unknown user \"ghost\"\n", run.err());
    }

    @Test
    void check_includesThePermissionFindings() throws IOException {
        CliRun run = CliRun.of("check", "--json", "--root", root.toString(), "--requires", manifest.toString(),
                unit.toString());
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals("access-denied", json.at("/findings/0/id").asText());
        assertEquals("chown www-data:www-data /opt/app/app_dev.db", json.at("/findings/0/fix/0").asText());
        CliRun text = CliRun.of("check", "--root", root.toString(), "--requires", manifest.toString(), unit.toString());
        assertTrue(text.out().contains("    high access-denied /opt/app/app_dev.db\n"), text.out());
    }
}
