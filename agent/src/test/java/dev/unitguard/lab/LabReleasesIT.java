package dev.unitguard.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.unit.SystemdVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every release of {@code -Dunitguard.lab.versions} boots, runs its own systemd, and offers its bus to the host. */
@Tag("systemd")
class LabReleasesIT {

    @ParameterizedTest(name = "systemd {0}")
    @MethodSource("dev.unitguard.lab.Lab#versions")
    void boot_release_runsThatSystemdWithItsBusOnTheHost(SystemdVersion version) throws Exception {
        try (Lab lab = Lab.bootOrSkip(version)) {
            String state = lab.exec("systemctl", "is-system-running").stdout().strip();
            String reported = lab.exec("systemctl", "--version").requireSuccess().stdout().lines().findFirst()
                    .orElse("");

            assertTrue(Set.of("running", "degraded").contains(state), lab + ": " + state + "\n" + lab.log());
            assertEquals(version, SystemdVersion.parse(reported), lab + ": " + reported);
            assertEquals(version, lab.version());
            assertTrue(Files.exists(Path.of(lab.systemBusAddress().substring("unix:path=".length()))), lab.toString());
        }
    }

    @ParameterizedTest(name = "systemd {0}")
    @MethodSource("dev.unitguard.lab.Lab#versions")
    void exec_writeOutsideUsr_doesNotReachTheCachedRoot(SystemdVersion version) throws Exception {
        try (Lab lab = Lab.bootOrSkip(version)) {
            lab.writeFile("/srv/lab-releases-it/x", "x\n", "600", "root:root");

            assertEquals("x\n", lab.exec("cat", "/srv/lab-releases-it/x").stdout());
            assertTrue(Files.notExists(LabRelease.rootsDirectory().resolve("trixie/srv/lab-releases-it")));
            assertTrue(Files.notExists(LabRelease.rootsDirectory().resolve("sid/srv/lab-releases-it")));
            assertTrue(Files.notExists(Path.of("/srv/lab-releases-it")));
        }
    }

    /**
     * A sandbox semantics that moved between releases (docs/model.md, per-release differences): the tmpfs
     * {@code ProtectHome=tmpfs} puts over /home is writable with mode 1777 in 252, read-only with mode 0755 later.
     */
    @ParameterizedTest(name = "systemd {0}")
    @MethodSource("dev.unitguard.lab.Lab#versions")
    void protectHomeTmpfs_release_modeAndWritabilityOfHome(SystemdVersion version) throws Exception {
        java.util.Map<SystemdVersion, String> expected = java.util.Map.of(SystemdVersion.V252, "1777 writable",
                SystemdVersion.V257, "755 read-only", SystemdVersion.V262, "755 read-only");
        try (Lab lab = Lab.bootOrSkip(version)) {
            ExecResult result = lab.exec("systemd-run", "--wait", "--pipe", "--quiet", "-p", "ProtectHome=tmpfs",
                    "sh", "-c", "printf '%s ' $(stat -c %a /home); touch /home/x 2>/dev/null && echo writable "
                            + "|| echo read-only");

            assertEquals(expected.get(version), result.requireSuccess().stdout().strip(), lab.toString());
        }
    }
}
