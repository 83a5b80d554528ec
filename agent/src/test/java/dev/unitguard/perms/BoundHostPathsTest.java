package dev.unitguard.perms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the shipped unit the agent's own /tmp is private and the host's is bound at /run/unitguard/host/tmp
 * (UNITGUARD_HOST_BINDS): findings and fixes of a host path under /tmp are about the host's file, never the agent's
 * private one at the same name.
 */
class BoundHostPathsTest {

    private static final String UNIT = "[Service]\nUser=www-data\nExecStart=/usr/bin/app\n";
    private static final String REQUIRED = """
            {"paths": [{"path": "/tmp/app/db", "access": "rw"}]}""";

    @TempDir
    Path dir;
    private PermsHost host;

    @BeforeEach
    void host() {
        host = new PermsHost(dir.resolve("root"))
                // the host's /tmp, as the agent sees it through the bind
                .dir("/run/unitguard/host/tmp/app", 0, 0, 0755).file("/run/unitguard/host/tmp/app/db", 0, 0, 0640, "x\n")
                // the agent's own private /tmp: a file of the same name that must not be judged nor changed
                .dir("/tmp/app", 33, 33, 0777).file("/tmp/app/db", 33, 33, 0666, "decoy\n")
                .binds("/tmp", "/run/unitguard/host/tmp");
    }

    @Test
    void check_pathUnderBoundSource_judgesTheHostsFile() {
        PermissionReport report = host.check(host.unit("app.service", UNIT), PermsHost.manifest(REQUIRED));

        assertEquals(List.of("access-denied high /tmp/app/db"), PermsHost.ids(report));
        assertEquals("www-data cannot read or write /tmp/app/db: it is owned by root:root with mode 0640",
                report.findings().get(0).message());
    }

    @Test
    void fix_pathUnderBoundSource_changesTheHostsFileOnly() {
        PermissionReport report = host.check(host.unit("app.service", UNIT), PermsHost.manifest(REQUIRED));

        List<FixExecutor.Result> results = new FixExecutor(host.view()).apply(FixPlan.of(report), false);

        assertEquals(List.of(FixExecutor.Outcome.APPLIED), results.stream().map(FixExecutor.Result::outcome).toList(),
                results::toString);
        assertEquals("33:33:0640", host.stat("/run/unitguard/host/tmp/app/db"));
        assertEquals("33:33:0666", host.stat("/tmp/app/db"));
        assertEquals(List.of(), PermsHost.ids(host.check(host.unit("app.service", UNIT),
                PermsHost.manifest(REQUIRED))));
    }
}
