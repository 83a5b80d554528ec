package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SystemdVersionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"257|257", "257.9-1~deb13u1|257", "systemd 252 (252.39-1~deb12u1)|252",
        "262~rc1|262", "v249|249", " 255.4-1ubuntu8 |255"})
    void parse_systemdSpellings_leadingNumber(String text, int number) {
        assertEquals(new SystemdVersion(number), SystemdVersion.parse(text));
    }

    @Test
    void parse_noNumber_namesTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemdVersion.parse("latest"));

        assertEquals("not a systemd version: 'latest'", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"252,252,false", "257,257,false", "262,262,false", "255,252,true", "258,257,true", "270,262,true",
        "249,252,true"})
    void modelled_version_nearestLowerSupportedElseOldest(int actual, int model, boolean warns) {
        SystemdVersion.Modelled m = new SystemdVersion(actual).modelled();

        assertEquals(model, m.model().number());
        assertEquals(warns, m.warning().isPresent());
    }

    @Test
    void modelled_unsupported_warningNamesBoth() {
        assertEquals(Optional.of("systemd 258 is not supported; modelled as systemd 257 (the nearest lower supported "
                + "version)"), new SystemdVersion(258).modelled().warning());
        assertEquals(Optional.of("systemd 249 is not supported; modelled as systemd 252 (the oldest supported "
                + "version)"), new SystemdVersion(249).modelled().warning());
    }

    @Test
    void ofRoot_sharedLibrary_itsNumber(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu/systemd"));
        Files.createFile(dir.resolve("libsystemd-core-257.so"));
        Files.createFile(dir.resolve("libsystemd-shared-257.so"));

        assertEquals(Optional.of(SystemdVersion.V257), SystemdVersion.ofRoot(root));
    }

    @Test
    void ofRoot_noSystemd_empty(@TempDir Path root) throws Exception {
        assertEquals(Optional.empty(), SystemdVersion.ofRoot(root));
    }
}
