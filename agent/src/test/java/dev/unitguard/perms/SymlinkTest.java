package dev.unitguard.perms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlinks pointing out of the checked paths are reported, and fixes never follow them. */
class SymlinkTest {

    private static final String UNIT = "[Service]\nUser=www-data\nExecStart=/usr/bin/app\n";

    @TempDir
    Path dir;
    private PermsHost host;

    @BeforeEach
    void host() {
        host = new PermsHost(dir.resolve("root")).dir("/opt/app", 0, 0, 0755)
                .dir("/srv/other", 0, 0, 0755).file("/srv/other/db", 0, 0, 0644, "someone else's\n")
                .symlink("/opt/app/app_dev.db", "/srv/other/db");
    }

    private PermissionReport check(String manifest) {
        return host.check(host.unit("app.service", UNIT), PermsHost.manifest(manifest));
    }

    @Test
    void check_requiredPathIsSymlinkOutOfTree_reportsItAndOffersNoFix() {
        PermissionReport r = check("""
                {"paths": [{"path": "/opt/app/app_dev.db", "access": "rw"}]}""");

        assertEquals(List.of("access-denied high /opt/app/app_dev.db", "symlink-out-of-tree medium /opt/app/app_dev.db"),
                PermsHost.ids(r));
        assertEquals("www-data cannot write /opt/app/app_dev.db: it is owned by root:root with mode 0644 (reached"
                + " through the symlink /opt/app/app_dev.db, which unitguard does not fix)", r.findings().get(0).message());
        assertEquals(List.of(), r.findings().get(0).fix());
        assertEquals("/opt/app/app_dev.db is a symlink to /srv/other/db, outside the checked paths: the service"
                + " follows it, but unitguard never changes the target", r.findings().get(1).message());
        assertEquals("/srv/other/db", r.paths().get(0).resolved());
    }

    @Test
    void fix_requiredPathIsSymlinkOutOfTree_leavesTheTargetUnchanged() {
        FixPlan plan = FixPlan.of(check("""
                {"paths": [{"path": "/opt/app/app_dev.db", "access": "rw"}]}"""));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of(), results);
        assertEquals(2, plan.manual().size());
        assertEquals("0:0:0644", host.stat("/srv/other/db"));
    }

    @Test
    void check_symlinkInsideWrittenDirectoryPointingOut_isReportedAndTargetUntouchedByFix() {
        host.dir("/var/lib/app", 1001, 1001, 0755).symlink("/var/lib/app/passwd", "/etc/passwd")
                .file("/var/lib/app/state", 1001, 1001, 0644, "");
        PermissionReport r = check("""
                {"paths": [{"path": "/var/lib/app", "access": "rwx"}]}""");
        assertEquals(List.of("access-denied high /var/lib/app", "foreign-owner medium /var/lib/app",
                "foreign-owner medium /var/lib/app/state", "symlink-out-of-tree medium /var/lib/app/passwd"),
                PermsHost.ids(r));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(FixPlan.of(r), false);

        assertEquals(List.of("/var/lib/app APPLIED", "/var/lib/app/state APPLIED"), results.stream()
                .map(x -> x.change().path() + " " + x.outcome()).toList());
        assertEquals("0:0:0644", host.stat("/etc/passwd"));
        assertEquals("33:33:0755", host.stat("/var/lib/app"));
        assertEquals(List.of("symlink-out-of-tree medium /var/lib/app/passwd"), PermsHost.ids(check("""
                {"paths": [{"path": "/var/lib/app", "access": "rwx"}]}""")));
    }

    @Test
    void symlinkInsideTheTree_isNotReported() {
        host.dir("/opt/app/releases/v2", 0, 0, 0755).symlink("/opt/app/current", "releases/v2");
        PermissionReport r = check("""
                {"paths": [{"path": "/opt/app/releases", "access": "r"}, {"path": "/opt/app/current", "access": "r"}]}""");
        assertEquals(List.of(), PermsHost.ids(r));
    }

    @Test
    void apply_fileReplacedBySymlinkAfterPlanning_skipsItWithoutFollowing() throws Exception {
        host.dir("/opt/data", 0, 0, 0755).file("/opt/data/app.db", 0, 0, 0644, "");
        FixPlan plan = FixPlan.of(check("""
                {"paths": [{"path": "/opt/data/app.db", "access": "rw"}]}"""));
        Path db = dir.resolve("root/opt/data/app.db");
        Files.delete(db);
        Files.createSymbolicLink(db, Path.of("/srv/other/db"));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of(new FixExecutor.Result(plan.changes().get(0), FixExecutor.Outcome.SKIPPED,
                "/opt/data/app.db: is a symlink (to /srv/other/db); unitguard does not follow links")), results);
        assertEquals("0:0:0644", host.stat("/srv/other/db"));
    }

    @Test
    void apply_fileChangedAfterPlanning_skipsIt() {
        host.dir("/opt/data", 0, 0, 0755).file("/opt/data/app.db", 0, 0, 0644, "");
        FixPlan plan = FixPlan.of(check("""
                {"paths": [{"path": "/opt/data/app.db", "access": "rw"}]}"""));
        host.mode("/opt/data/app.db", 0600);

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals("/opt/data/app.db: changed since the plan was made (now owner 0 group 0 mode 0600)",
                results.get(0).detail());
        assertEquals("0:0:0600", host.stat("/opt/data/app.db"));
    }
}
