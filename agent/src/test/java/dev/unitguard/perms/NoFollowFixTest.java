package dev.unitguard.perms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixes walk each path from the root's handle without following links: a symlink at any position of a required path,
 * a symlink swapped in after planning, and a hard link all leave the file outside untouched.
 */
class NoFollowFixTest {

    private static final String UNIT = "[Service]\nUser=www-data\nExecStart=/usr/bin/app\n";
    private static final String REQUIRED = """
            {"paths": [{"path": "/srv/app/data/db", "access": "rw"}]}""";

    @TempDir
    Path dir;
    private PermsHost host;

    @BeforeEach
    void host() {
        host = new PermsHost(dir.resolve("root")).dir("/etc/victim/srv/app/data", 0, 0, 0755)
                .file("/etc/victim/srv/app/data/db", 0, 0, 0640, "secret\n");
    }

    private PermissionReport check() {
        return host.check(host.unit("app.service", UNIT), PermsHost.manifest(REQUIRED));
    }

    /** A real tree /srv/app/data/db, root's file that www-data needs to write. */
    private void realTree() {
        host.dir("/srv/app/data", 0, 0, 0755).file("/srv/app/data/db", 0, 0, 0640, "mine\n");
    }

    /** Replaces the component ending at {@code prefix} by a symlink to the same place under /etc/victim. */
    private void link(String prefix) throws IOException {
        Path at = host.root.resolve(prefix.substring(1));
        if (Files.exists(at)) {
            PermsHost.run("rm", "-rf", at.toString());
        }
        host.symlink(prefix, "/etc/victim" + prefix);
    }

    @ParameterizedTest(name = "symlink at {0}")
    @ValueSource(strings = {"/srv", "/srv/app", "/srv/app/data", "/srv/app/data/db"})
    void fix_symlinkAtAnyPositionOfRequiredPath_isManualAndTargetUntouched(String position) throws IOException {
        realTree();
        link(position);

        PermissionReport report = check();
        FixPlan plan = FixPlan.of(report);
        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of(), results);
        assertEquals("www-data cannot read or write /srv/app/data/db: it is owned by root:root with mode 0640 (reached"
                + " through the symlink " + position + ", which unitguard does not fix)",
                report.findings().get(0).message());
        assertTrue(plan.manual().stream().anyMatch(f -> f.id().equals("symlink-out-of-tree")
                && f.path().equals(position)), () -> plan.manual().toString());
        assertEquals("0:0:0640", host.stat("/etc/victim/srv/app/data/db"));
        assertEquals("0:0:0755", host.stat("/etc/victim/srv/app/data"));
    }

    @ParameterizedTest(name = "symlink swapped in at {0} after planning")
    @ValueSource(strings = {"/srv", "/srv/app", "/srv/app/data", "/srv/app/data/db"})
    void fix_symlinkSwappedInAfterPlanning_isSkippedNamingTheComponent(String position) throws IOException {
        realTree();
        FixPlan plan = FixPlan.of(check());
        assertEquals(List.of("/srv/app/data/db"), plan.changes().stream().map(Change::path).toList());
        link(position);

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of("SKIPPED " + position + ": is a symlink (to /etc/victim" + position
                + "); unitguard does not follow links"), outcomes(results));
        assertEquals("0:0:0640", host.stat("/etc/victim/srv/app/data/db"));
    }

    @Test
    void fix_directorySwappedForSymlinkAfterTheWalk_changesTheCheckedFileNotTheTarget() {
        realTree();
        FixPlan plan = FixPlan.of(check());
        List<FixExecutor.Result> results = new FixExecutor(host.view(), this::swapDataForSymlink).apply(plan, false);

        assertEquals(List.of("FAILED /srv/app/data/db: changed as checked, but then was moved while it was being read;"
                + " look at it"), outcomes(results));
        assertEquals("33:33:0640", host.stat("/srv/app/data.moved/db"));
        assertEquals("0:0:0640", host.stat("/etc/victim/srv/app/data/db"));
    }

    @Test
    void fix_directorySwappedForSymlinkAfterTheWalk_keepsTheHandleOnTheCheckedDirectory() {
        host.dir("/srv/app/data", 0, 0, 0700);
        FixPlan plan = FixPlan.of(host.check(host.unit("app.service", UNIT), PermsHost.manifest("""
                {"paths": [{"path": "/srv/app/data", "access": "rwx"}]}""")));
        assertEquals(List.of("/srv/app/data"), plan.changes().stream().map(Change::path).toList());
        List<FixExecutor.Result> results = new FixExecutor(host.view(), this::swapDataForSymlink).apply(plan, false);

        assertEquals(List.of("FAILED /srv/app/data: changed as checked, but then was replaced while it was being read;"
                + " look at it"), outcomes(results));
        assertEquals("33:33:0700", host.stat("/srv/app/data.moved"));
        assertEquals("0:0:0755", host.stat("/etc/victim/srv/app/data"));
    }

    @Test
    void fix_regularFileWithSecondHardLink_isSkipped() throws IOException {
        realTree();
        Files.delete(host.root.resolve("srv/app/data/db"));
        Files.createLink(host.root.resolve("srv/app/data/db"), host.root.resolve("etc/victim/srv/app/data/db"));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(FixPlan.of(check()), false);

        assertEquals(List.of("SKIPPED /srv/app/data/db: has 2 hard links, so it is also reachable under another name,"
                + " maybe outside the checked paths; not changed"), outcomes(results));
        assertEquals("0:0:0640", host.stat("/etc/victim/srv/app/data/db"));
    }

    @Test
    void fix_fileBecameFifoAfterPlanning_isSkipped() {
        realTree();
        FixPlan plan = FixPlan.of(check());
        PermsHost.run("rm", host.root.resolve("srv/app/data/db").toString());
        PermsHost.run("mkfifo", host.root.resolve("srv/app/data/db").toString());

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of("SKIPPED /srv/app/data/db: is neither a regular file nor a directory; not changed"),
                outcomes(results));
    }

    @Test
    void fix_setgidDirectoryNeedingModeChange_isSkippedWithTheReason() {
        host.dir("/srv/app/data", 0, 0, 02700);
        FixPlan plan = FixPlan.of(host.check(host.unit("app.service", UNIT), PermsHost.manifest("""
                {"paths": [{"path": "/srv/app/data/db", "access": "r"}]}""")));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(plan, false);

        assertEquals(List.of("SKIPPED /srv/app/data: mode 2701 has setuid, setgid or sticky bits, which unitguard"
                + " cannot set on an open file; run the commands yourself"), outcomes(results));
        assertEquals("0:0:2700", host.stat("/srv/app/data"));
    }

    @Test
    void fix_plainTree_isAppliedOnTheHandles() {
        realTree();
        FixPlan plan = FixPlan.of(check());

        assertEquals(List.of("PLANNED null"), outcomes(new FixExecutor(host.view()).apply(plan, true)));
        assertEquals(List.of("APPLIED null"), outcomes(new FixExecutor(host.view()).apply(plan, false)));
        assertEquals("33:33:0640", host.stat("/srv/app/data/db"));
    }

    /** The race: /srv/app/data moved aside and a symlink to the victim put in its place, after the checks. */
    private void swapDataForSymlink(Change change) throws IOException {
        Path data = host.root.resolve("srv/app/data");
        Files.move(data, host.root.resolve("srv/app/data.moved"));
        Files.createSymbolicLink(data, Path.of("/etc/victim/srv/app/data"));
    }

    private static List<String> outcomes(List<FixExecutor.Result> results) {
        return results.stream().map(r -> r.outcome() + " " + r.detail()).toList();
    }
}
