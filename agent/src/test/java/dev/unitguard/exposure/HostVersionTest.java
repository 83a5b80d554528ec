package dev.unitguard.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The version is chosen once per host: a unit loaded from a root is scored with the tables of the systemd installed
 * there (its libsystemd-shared-NNN.so), an unsupported one with the nearest lower supported release's.
 */
class HostVersionTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "systemd {0} installed: scored as {1}")
    @CsvSource({"252, 252", "257, 257", "262, 262", "255, 252", "259, 257", "270, 262"})
    void loadedUnit_scoredWithTheInstalledSystemd(int installed, int modelled) throws Exception {
        Path lib = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu/systemd"));
        Files.createFile(lib.resolve("libsystemd-shared-" + installed + ".so"));
        EffectiveUnit unit = load("[Service]\nExecStart=/usr/bin/true\n");

        assertEquals(new SystemdVersion(modelled), unit.systemd());
        assertEquals(SecurityAssessor.assess(unit, new SystemdVersion(modelled)).exposure(),
                SecurityAssessor.assess(unit).exposure());
    }

    @Test
    void releasesScoreDifferently_soTheChoiceMatters() throws Exception {
        EffectiveUnit unit = load("[Service]\nExecStart=/usr/bin/true\n");

        assertNotEquals(SecurityAssessor.assess(unit, SystemdVersion.V252).exposure(),
                SecurityAssessor.assess(unit, SystemdVersion.V257).exposure());
    }

    @Test
    void noSystemdUnderTheRoot_252() throws Exception {
        assertEquals(SystemdVersion.V252, load("[Service]\nExecStart=/usr/bin/true\n").systemd());
    }

    private EffectiveUnit load(String text) throws Exception {
        Path dir = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(dir.resolve("app.service"), text);
        return UnitLoader.forRoot(root).load("app.service");
    }
}
