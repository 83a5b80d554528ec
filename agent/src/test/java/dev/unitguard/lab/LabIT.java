package dev.unitguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

@LabTest
class LabIT {

    @Test
    void boot_bareSystem_isRunningOrDegraded(Lab lab) {
        ExecResult state = lab.exec("systemctl", "is-system-running");

        assertTrue(Set.of("running", "degraded").contains(state.stdout().strip()), state.toString());
    }

    @Test
    void boot_presetsDisableAll_installedServicesStayOff(Lab lab) {
        // Without the "disable *" preset bind, first boot enables and starts PostgreSQL (installed on these hosts).
        assertEquals("disabled\n", lab.exec("systemctl", "is-enabled", "postgresql.service").stdout());
        assertEquals("inactive\n", lab.exec("systemctl", "is-active", "postgresql.service").stdout());
    }

    @Test
    void exec_failingCommand_returnsExitCodeAndStderr(Lab lab) {
        ExecResult result = lab.exec("sh", "-c", "echo out; echo err >&2; exit 3");

        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.stdout());
        assertEquals("err\n", result.stderr());
    }

    @Test
    void addUser_newName_userResolvesInsideOnly(Lab lab) {
        int uid = lab.addUser("labit-user");

        assertEquals("labit-user\n", lab.exec("id", "-un", Integer.toString(uid)).requireSuccess().stdout());
        assertEquals(0, lab.exec("grep", "-q", "^labit-user:", "/etc/passwd").exitCode());
        assertFalse(hostHasUser("labit-user"), "the user must not reach the host's /etc/passwd");
    }

    @Test
    void writeFile_modeAndOwner_appliedInside(Lab lab) {
        lab.addUser("labit-owner");

        lab.writeFile("/srv/app/conf.txt", "hello\n", "640", "labit-owner:root");

        assertEquals("640 labit-owner root\n",
                lab.exec("stat", "-c", "%a %U %G", "/srv/app/conf.txt").requireSuccess().stdout());
        assertEquals("hello\n", lab.exec("cat", "/srv/app/conf.txt").stdout());
        assertFalse(Files.exists(Path.of("/srv/app/conf.txt")), "the lab must not write to the host");
    }

    @Test
    void systemBusAddress_fromHost_isTheContainersSocket(Lab lab) {
        String address = lab.systemBusAddress();

        assertEquals("unix:path=/proc/" + lab.pid() + "/root/run/dbus/system_bus_socket", address);
        assertTrue(Files.exists(Path.of(address.substring("unix:path=".length()))), address);
    }

    @Test
    void agentTarget_boundReadOnlyAtOptUnitguard(Lab lab) {
        assertEquals(0, lab.exec("test", "-d", "/opt/unitguard/labs").exitCode());
        assertEquals(1, lab.exec("touch", "/opt/unitguard/x").exitCode());
    }

    @Test
    void close_thenBootAgain_secondLabRuns(Lab classLab) throws Exception {
        Lab first = Lab.boot();
        long firstPid = first.pid();
        first.close();

        assertFalse(first.isAlive());
        assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "container init left");
        try (Lab second = Lab.boot()) {
            assertTrue(Set.of("running", "degraded").contains(second.exec("systemctl", "is-system-running")
                    .stdout().strip()));
        }
    }

    @Test
    void killStaleLabs_ownerJvmGone_labKilled(Lab classLab) throws Exception {
        Process owner = new ProcessBuilder("true").start();
        owner.waitFor();
        Lab orphan = Lab.boot(Path.of("target").toAbsolutePath(), LabHost.NAME_PREFIX + owner.pid() + "-1");

        int killed = LabHost.killStaleLabs();

        assertFalse(orphan.isAlive(), "the orphaned lab still runs");
        assertTrue(killed >= 1, "killed " + killed);
        assertTrue(classLab.isAlive(), "the lab of this live JVM was killed");
        orphan.close();
    }

    private static boolean hostHasUser(String user) {
        try {
            return Files.readString(Path.of("/etc/passwd")).contains("\n" + user + ":");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
