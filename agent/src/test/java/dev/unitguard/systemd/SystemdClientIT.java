package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LabTest
class SystemdClientIT {

    private Lab lab;
    private SystemdClient client;

    @BeforeEach
    void connect(Lab lab) {
        this.lab = lab;
        this.client = SystemdClient.forAddress(lab.systemBusAddress(), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void listUnits_bareLab_dbusServiceActiveRunning() throws Exception {
        List<UnitStatus> units = client.listUnits();

        UnitStatus dbus = units.stream().filter(u -> u.name().equals("dbus.service")).findFirst().orElseThrow();
        assertEquals(new UnitStatus("dbus.service", "D-Bus System Message Bus", "loaded", "active", "running"), dbus);
        assertEquals(lab.exec("systemctl", "list-units", "--all", "--no-legend", "--plain").stdout().lines().count(),
                units.size());
    }

    @Test
    void listUnitsByPattern_twoRunningOneOther_thoseSystemctlListsForThePattern() throws Exception {
        for (String unit : List.of("ugpattern-a", "ugpattern-b", "ugother-a")) {
            lab.exec("systemd-run", "--quiet", "--unit=" + unit, "/bin/sleep", "30").requireSuccess();
        }
        try {
            List<String> names = client.listUnits(List.of("ugpattern-*")).stream().map(UnitStatus::name).sorted()
                    .toList();

            assertEquals(List.of("ugpattern-a.service", "ugpattern-b.service"), names);
            assertEquals(lab.exec("systemctl", "list-units", "--all", "--no-legend", "--plain", "ugpattern-*").stdout()
                    .lines().map(l -> l.split(" ")[0]).sorted().toList(), names);
        } finally {
            lab.exec("systemctl", "stop", "ugpattern-a", "ugpattern-b", "ugother-a");
        }
    }

    @Test
    void unit_dbusService_matchesSystemctlShow() throws Exception {
        UnitProperties dbus = client.unit("dbus.service");

        ServiceProperties service = dbus.service().orElseThrow();
        assertEquals(show("dbus.service", "Description"), dbus.description());
        assertEquals(show("dbus.service", "ActiveState"), dbus.activeState());
        assertEquals(show("dbus.service", "SubState"), dbus.subState());
        assertEquals(show("dbus.service", "UnitFileState"), dbus.unitFileState());
        assertEquals(show("dbus.service", "FragmentPath"), dbus.fragmentPath());
        assertEquals(show("dbus.service", "InvocationID"), dbus.invocationId());
        assertEquals(show("dbus.service", "Type"), service.type());
        assertEquals(show("dbus.service", "Result"), service.result());
        assertEquals(show("dbus.service", "MainPID"), Long.toString(service.mainPid()));
        assertEquals(show("dbus.service", "NRestarts"), Long.toString(service.nRestarts()));
        assertEquals(show("dbus.service", "User"), service.user());
        assertEquals(List.of(), dbus.dropInPaths());
    }

    @Test
    void unit_dropIn_listedInDropInPaths() throws Exception {
        writeUnit("labit-dropin.service", "[Service]\nExecStart=/bin/sleep infinity\n");
        lab.writeFile("/etc/systemd/system/labit-dropin.service.d/50-user.conf", "[Service]\nUser=nobody\n", "644",
                "root:root");
        client.reload();

        UnitProperties unit = client.unit("labit-dropin.service");

        assertEquals(List.of("/etc/systemd/system/labit-dropin.service.d/50-user.conf"), unit.dropInPaths());
        assertEquals("nobody", unit.service().orElseThrow().user());
        assertEquals("/etc/systemd/system/labit-dropin.service", unit.fragmentPath());
    }

    @Test
    void startStop_writtenUnitAfterReload_jobsDoneAndStatesFollow() throws Exception {
        writeUnit("labit-sleep.service", "[Service]\nExecStart=/bin/sleep infinity\n");
        client.reload();

        JobOutcome started = client.start("labit-sleep.service");

        assertEquals(JobResult.DONE, started.result());
        assertEquals("active", client.unit("labit-sleep.service").activeState());
        assertEquals("active\n", lab.exec("systemctl", "is-active", "labit-sleep.service").stdout());
        JobOutcome stopped = client.stop("labit-sleep.service");
        assertEquals(JobResult.DONE, stopped.result());
        assertEquals("inactive", client.unit("labit-sleep.service").activeState());
    }

    @Test
    void start_jobSlowerThanTimeout_callTimeoutNamingJob() throws Exception {
        writeUnit("labit-slow.service", "[Service]\nType=oneshot\nExecStart=/bin/sleep 3\n");
        client.reload();

        var e = assertThrows(SystemdException.CallTimeout.class,
                () -> client.start("labit-slow.service", Duration.ofMillis(300)));

        assertTrue(e.getMessage().matches("StartUnit\\(labit-slow.service\\): job /org/freedesktop/systemd1/job/\\d+ "
                + "did not finish within 300 ms"), e.getMessage());
        assertEquals("activating", client.unit("labit-slow.service").activeState());
        client.stop("labit-slow.service");
    }

    @Test
    void restart_runningUnit_newInvocationId() throws Exception {
        writeUnit("labit-restart.service", "[Service]\nExecStart=/bin/sleep infinity\n");
        client.reload();
        client.start("labit-restart.service");
        String before = client.unit("labit-restart.service").invocationId();

        JobOutcome restarted = client.restart("labit-restart.service");

        String after = client.unit("labit-restart.service").invocationId();
        assertEquals(JobResult.DONE, restarted.result());
        assertEquals(32, before.length(), before);
        assertNotEquals(before, after);
        assertEquals(show("labit-restart.service", "InvocationID"), after);
    }

    @Test
    void start_failingOneshot_jobFailedWithExitStatusThenResetFailed() throws Exception {
        writeUnit("labit-fail.service", "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'exit 3'\n");
        client.reload();

        JobOutcome started = client.start("labit-fail.service");

        UnitProperties failed = client.unit("labit-fail.service");
        assertEquals(JobResult.FAILED, started.result());
        assertEquals("failed", failed.activeState());
        assertEquals("exit-code", failed.service().orElseThrow().result());
        assertEquals(3, failed.service().orElseThrow().execMainStatus());
        client.resetFailed("labit-fail.service");
        UnitProperties reset = client.unit("labit-fail.service");
        assertEquals("inactive", reset.activeState());
        assertEquals("success", reset.service().orElseThrow().result());
    }

    @Test
    void unit_restartOnFailureUntilStartLimit_nRestartsMatchesSystemctl() throws Exception {
        writeUnit("labit-restarts.service", "[Unit]\nStartLimitIntervalSec=60\nStartLimitBurst=3\n"
                + "[Service]\nExecStart=/bin/false\nRestart=on-failure\nRestartSec=50ms\n");
        client.reload();
        client.start("labit-restarts.service");

        UnitProperties settled = client.unit("labit-restarts.service");
        for (int i = 0; i < 100 && !settled.activeState().equals("failed"); i++) {
            Thread.sleep(50);
            settled = client.unit("labit-restarts.service");
        }

        // systemd 252 keeps Result=exit-code when the start limit stops automatic restarts, and counts 3 restarts.
        ServiceProperties service = settled.service().orElseThrow();
        assertEquals("failed", settled.activeState());
        assertEquals("exit-code", service.result());
        assertEquals(show("labit-restarts.service", "NRestarts"), Long.toString(service.nRestarts()));
        assertEquals(3, service.nRestarts());
    }

    @Test
    void enableDisable_installSection_symlinksAndUnitFileState() throws Exception {
        writeUnit("labit-enable.service",
                "[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n");
        client.reload();

        List<UnitFileChange> enabled = client.enable(List.of("labit-enable.service"));
        client.reload();

        assertEquals(List.of(new UnitFileChange("symlink",
                "/etc/systemd/system/multi-user.target.wants/labit-enable.service",
                "/etc/systemd/system/labit-enable.service")), enabled);
        assertEquals("enabled", client.unit("labit-enable.service").unitFileState());
        List<UnitFileChange> disabled = client.disable(List.of("labit-enable.service"));
        client.reload();
        assertEquals(List.of(new UnitFileChange("unlink",
                "/etc/systemd/system/multi-user.target.wants/labit-enable.service", "")), disabled);
        assertEquals("disabled", client.unit("labit-enable.service").unitFileState());
    }

    @Test
    void runTransient_protectSystemStrictMissingReadWritePath_failsWithNamespaceStatus226() throws Exception {
        TransientUnit probe = TransientUnit.service("labit-probe-missing.service").execStart("/bin/true")
                .protectSystem("strict").readWritePaths("/srv/missing").build();

        TransientRun run = client.runTransient(probe, Duration.ofSeconds(30));

        assertEquals("failed", run.unit().activeState());
        assertEquals("exit-code", run.unit().service().orElseThrow().result());
        assertEquals(226, run.exitStatus());
    }

    @Test
    void runTransient_protectSystemStrictPresentReadWritePath_exitsZero() throws Exception {
        lab.exec("mkdir", "-p", "/srv/present").requireSuccess();
        TransientUnit probe = TransientUnit.service("labit-probe-present.service")
                .execStart("/bin/sh", "-c", "touch /srv/present/x").protectSystem("strict")
                .readWritePaths("/srv/present").build();

        TransientRun run = client.runTransient(probe, Duration.ofSeconds(30));

        assertEquals(JobResult.DONE, run.job().result());
        assertEquals("inactive", run.unit().activeState());
        assertEquals("success", run.unit().service().orElseThrow().result());
        assertEquals(0, run.exitStatus());
        assertEquals(0, lab.exec("test", "-f", "/srv/present/x").exitCode());
        assertEquals("not-found", client.unit("labit-probe-present.service").loadState(), "released after the run");
    }

    @Test
    void runTransient_userAndProtectSystemStrict_writeOutsideFailsWithStatus1() throws Exception {
        lab.addUser("labit-probe");
        TransientUnit probe = TransientUnit.service("labit-probe-user.service")
                .execStart("/bin/sh", "-c", "id -un > /dev/null; touch /etc/x").user("labit-probe")
                .protectSystem("strict").build();

        TransientRun run = client.runTransient(probe, Duration.ofSeconds(30));

        assertEquals("labit-probe", run.unit().service().orElseThrow().user());
        assertEquals(1, run.exitStatus());
    }

    @Test
    void startTransient_simpleService_jobDoneAndUnitActive() throws Exception {
        TransientUnit sleeper = TransientUnit.service("labit-transient-sleep.service")
                .execStart("/bin/sleep", "infinity").build();

        JobOutcome started = client.startTransient(sleeper);

        assertEquals(JobResult.DONE, started.result());
        assertEquals("active", client.unit("labit-transient-sleep.service").activeState());
        assertEquals("/run/systemd/transient/labit-transient-sleep.service",
                client.unit("labit-transient-sleep.service").fragmentPath());
        client.stop("labit-transient-sleep.service");
    }

    @Test
    void loadedUnits_oneNeverLoaded_reportedNotLoadedAndStaysUnloaded() throws Exception {
        writeUnit("labit-idle.service", "[Service]\nExecStart=/bin/true\n");
        List<UnitReading> readings = client.loadedUnits(List.of("dbus.service", "labit-idle.service", "dbus.socket"));

        assertEquals(3, readings.size());
        assertEquals("active", ((UnitReading.Read) readings.get(0)).properties().activeState());
        assertEquals(new UnitReading.NotLoaded("labit-idle.service"), readings.get(1));
        assertEquals("active", ((UnitReading.Read) readings.get(2)).properties().activeState());
        assertEquals("", lab.exec("systemctl", "list-units", "--all", "--plain", "--no-legend", "labit-idle.service")
                .requireSuccess().stdout().strip(), "GetUnit did not load it");
    }

    @Test
    void unit_notInstalled_readsNotFound() throws Exception {
        UnitProperties missing = client.unit("labit-missing.service");

        assertEquals("not-found", missing.loadState());
        assertEquals("inactive", missing.activeState());
    }

    @Test
    void busLost_dbusKilled_reportedThenReconnects() throws Exception {
        client.listUnits();
        lab.exec("sh", "-c", "kill -KILL $(systemctl show -P MainPID dbus.service)").requireSuccess();

        var lost = assertThrows(SystemdException.class, () -> {
            for (int i = 0; i < 100; i++) {
                client.listUnits();
                Thread.sleep(100);
            }
        });
        assertEquals(SystemdException.BusLost.class, lost.getClass(), lost.getMessage());
        List<UnitStatus> again = retry();
        assertTrue(again.stream().anyMatch(u -> u.name().equals("dbus.service")));
    }

    private List<UnitStatus> retry() throws Exception {
        SystemdException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return client.listUnits();
            } catch (SystemdException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private void writeUnit(String name, String content) {
        lab.writeFile("/etc/systemd/system/" + name, content, "644", "root:root");
    }

    private String show(String unit, String property) {
        return lab.exec("systemctl", "show", "-P", property, unit).requireSuccess().stdout().strip();
    }
}
