package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.systemd.JobOutcome;
import dev.unitguard.systemd.ServiceProperties;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.systemd.TransientRun;
import dev.unitguard.systemd.TransientUnit;
import dev.unitguard.systemd.UnitProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecHealthTest {

    private static final Health.Exec CHECK = new Health.Exec(List.of("/bin/sh", "-c", "test \"$(id -u)\" = 4711"));
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private ApplyFixture fx;
    private final List<TransientUnit> started = new ArrayList<>();
    private TransientRun answer = run("success", 1, 0, "app");

    @BeforeEach
    void setUp(@TempDir Path dir) {
        fx = new ApplyFixture(dir);
    }

    private ExecHealth exec() {
        return new ExecHealth((unit, timeout) -> {
            started.add(unit);
            return answer;
        }, fx.root);
    }

    private void unit(String service) {
        fx.file("etc/systemd/system/app.service", "[Service]\nExecStart=/usr/bin/true\n" + service, "rw-r--r--");
    }

    @Test
    void check_unitWithUser_runsAsItsUserInItsSandboxWithoutHostActingSettings() {
        unit("""
                User=app
                Group=app
                SupplementaryGroups=ssl-cert
                ProtectSystem=strict
                PrivateTmp=yes
                RuntimeDirectory=app
                StateDirectory=app
                CacheDirectory=app
                LogsDirectory=app
                ConfigurationDirectory=app
                LoadCredential=key:/etc/app/key
                """);
        fx.file("etc/systemd/system/app.service.d/50-unitguard.conf", "[Service]\nProtectHome=yes\n", "rw-r--r--");

        assertEquals(Optional.empty(), exec().check("app.service", CHECK, TIMEOUT));

        TransientUnit unit = started.get(0);
        assertTrue(unit.name().matches("unitguard-health-app-[0-9a-f]{12}\\.service"), unit.name());
        assertEquals(List.of("User", "Group", "ProtectSystem", "ProtectHome", "PrivateTmp", "SupplementaryGroups",
                "NoNewPrivileges", "CollectMode", "StandardOutput", "StandardError", "RuntimeMaxUSec", "ExecStart"),
                unit.properties().stream().map(TransientProperty::name).filter(n -> !n.equals("Description"))
                        .toList());
        assertEquals("app", unit.property("User"));
        assertEquals("yes", unit.property("ProtectHome"), "the change in place is part of the sandbox");
        assertEquals(true, unit.property("NoNewPrivileges"));
        assertEquals("null", unit.property("StandardOutput"));
        assertEquals(3_000_000L, unit.property("RuntimeMaxUSec"));
        assertEquals(List.of(new TransientProperty.Command("/bin/sh", CHECK.argv(), false)),
                unit.property("ExecStart"));
    }

    @Test
    void check_noUser_refusedWithoutRunningAnything() {
        unit("ProtectSystem=strict\n");

        assertEquals(Optional.of("health.exec /bin/sh -c test \"$(id -u)\" = 4711 refused: app.service runs as root "
                + "(no User=); health commands run only as the unit's own non-root user: use health.http"),
                exec().check("app.service", CHECK, TIMEOUT));
        assertEquals(List.of(), started);
    }

    @Test
    void check_userRoot_refused() {
        unit("User=root\n");

        assertTrue(exec().check("app.service", CHECK, TIMEOUT).orElseThrow().contains("runs as root (User=root)"));
        assertEquals(List.of(), started);
    }

    @Test
    void check_dynamicUserWithoutUser_namesTheUnitsDynamicUser() {
        unit("DynamicUser=yes\n");

        exec().check("app.service", CHECK, TIMEOUT);

        assertEquals("app", started.get(0).property("User"));
        assertEquals(true, started.get(0).property("DynamicUser"));
    }

    @Test
    void check_commandFails_unhealthyWithStatusAndUserButNoOutput() {
        unit("User=app\n");
        answer = run("exit-code", 1, 1, "app");

        assertEquals(Optional.of("health.exec /bin/sh -c test \"$(id -u)\" = 4711 exited with status 1 (as user app)"),
                exec().check("app.service", CHECK, TIMEOUT));
    }

    @Test
    void check_runtimeMaxReached_unhealthyNamingTheTimeout() {
        unit("User=app\n");
        answer = run("timeout", 2, 15, "app");

        assertEquals(Optional.of("health.exec /bin/sh -c test \"$(id -u)\" = 4711 did not finish within 3000 ms"),
                exec().check("app.service", CHECK, TIMEOUT));
    }

    @Test
    void check_systemdUnreachable_failsAndNeverRunsTheCommandHere(@TempDir Path dir) throws Exception {
        unit("User=app\n");
        Path marker = dir.resolve("ran");
        Health.Exec touch = new Health.Exec(List.of("/usr/bin/touch", marker.toString()));
        try (SystemdClient nobody = SystemdClient.forAddress("unix:path=" + dir.resolve("no-bus"),
                Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            String why = HealthChecker.over(nobody, fx.root).check("app.service", touch, TIMEOUT).orElseThrow();

            assertTrue(why.startsWith("health.exec /usr/bin/touch " + marker + " could not run as app.service's user "
                    + "(it never runs as the agent): StartTransientUnit(unitguard-health-app-"), why);
            assertTrue(why.contains("cannot connect"), why);
        }
        assertTrue(!marker.toFile().exists(), "the command ran on this machine");
    }

    @Test
    void withoutSystemd_execFailsHttpStillChecked() {
        assertEquals(Optional.of("health.exec /bin/sh -c test \"$(id -u)\" = 4711 cannot run: the engine has no "
                + "systemd to run it as app.service's user, and it never runs as the agent"),
                HealthChecker.withoutSystemd().check("app.service", CHECK, TIMEOUT));
        assertEquals(Optional.empty(), HealthChecker.withoutSystemd().check("app.service", Health.NONE, TIMEOUT));
    }

    @Test
    void prefix_instanceAndPlain_systemdsUnitPrefix() {
        assertEquals("app", ExecHealth.prefix("app.service"));
        assertEquals("app", ExecHealth.prefix("app@one.service"));
    }

    private static TransientRun run(String result, int code, int status, String user) {
        ServiceProperties service = new ServiceProperties("simple", result, code, status, 0, 0, 0, user, "", false);
        return new TransientRun(new JobOutcome("x.service", "/job/1", "done"),
                new UnitProperties("x.service", "", "loaded", result.equals("success") ? "inactive" : "failed",
                        "dead", "", "", List.of(), "", Optional.of(service)));
    }
}
