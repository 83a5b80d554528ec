package dev.unitguard.perms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.EffectiveUnit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy guide's database owned by root while the service runs as www-data, on real files. */
class FieldReportTest {

    private static final String UNIT = """
            [Service]
            User=www-data
            Group=www-data
            WorkingDirectory=/opt/app
            ExecStart=/usr/bin/app --workers 3
            """;

    @TempDir
    Path dir;
    private PermsHost host;
    private EffectiveUnit unit;
    private final Requirements requirements = PermsHost.manifest("""
            { "paths": [ {"path": "/opt/app/app_dev.db", "access": "rw"} ] }""");

    @BeforeEach
    void deployedApp() {
        host = new PermsHost(dir.resolve("root"))
                .dir("/opt/app", 0, 0, 0755).file("/opt/app/app_dev.db", 0, 0, 0644, "SQLite format 3\0");
        unit = host.unit("app.service", UNIT);
    }

    @Test
    void check_databaseOwnedByRoot_oneFindingWithChownAndStateDirectory() {
        PermissionReport report = host.check(unit, requirements);

        assertEquals(List.of(new Finding("access-denied", Severity.HIGH, "/opt/app/app_dev.db",
                "www-data cannot write /opt/app/app_dev.db: it is owned by root:root with mode 0644",
                List.of("chown www-data:www-data /opt/app/app_dev.db"),
                List.of("StateDirectory=app in [Service], with app_dev.db kept in /var/lib/app/: systemd creates"
                                + " that directory owned by the service's user at every start",
                        "tmpfiles.d line: z /opt/app/app_dev.db 0644 www-data www-data -"),
                List.of(new Change("/opt/app/app_dev.db", new FileState("root", 0, "root", 0, "0644"),
                        new FileState("www-data", 33, "www-data", 33, "0644"),
                        List.of("chown www-data:www-data /opt/app/app_dev.db"))))), report.findings());
        assertEquals(new PathReport("/opt/app/app_dev.db", "rw", false, "/opt/app/app_dev.db", true, "regular",
                new FileState("root", 0, "root", 0, "0644"), List.of(), false,
                "www-data cannot write /opt/app/app_dev.db: it is owned by root:root with mode 0644"),
                report.paths().get(0));
        assertEquals("www-data", report.user());
        assertEquals(List.of("www-data", "ssl-cert"), report.groups());
    }

    @Test
    void fix_databaseOwnedByRoot_chownsItAndLeavesNoFinding() {
        FixPlan plan = FixPlan.of(host.check(unit, requirements));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of(FixExecutor.Outcome.APPLIED), results.stream().map(FixExecutor.Result::outcome).toList());
        assertEquals("33:33:0644", host.stat("/opt/app/app_dev.db"));
        PermissionReport after = host.check(unit, requirements);
        assertEquals(List.of(), after.findings());
        assertEquals(true, after.paths().get(0).granted());
    }

    @Test
    void fix_dryRun_plansTheChownAndChangesNothing() {
        FixPlan plan = FixPlan.of(host.check(unit, requirements));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, true);

        assertEquals(List.of(new FixExecutor.Result(plan.changes().get(0), FixExecutor.Outcome.PLANNED, null)),
                results);
        assertEquals("0:0:0644", host.stat("/opt/app/app_dev.db"));
    }
}
