package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeOutputTest {

    @TempDir
    Path root;

    @BeforeEach
    void asRoot() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(root, "unix:uid")),
                "the directory must belong to root: the test runs as root");
    }

    @Test
    void of_noRuntimeDirectory_emptySoTheJournal() {
        assertTrue(ProbeOutput.of(root, "p.service").isEmpty());
    }

    @Test
    void of_runtimeDirectory_fileInAPrivateDirectoryAsSystemdSeesIt() throws Exception {
        runtime("rwxr-xr-x");

        ProbeOutput output = ProbeOutput.of(root, "p.service").orElseThrow();

        assertEquals("/run/unitguard/probe/p.service.out", output.path());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                root.resolve("run/unitguard/probe"), LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    void of_runtimeDirectoryOthersMayWrite_empty() throws Exception {
        runtime("rwxrwxrwx");

        assertTrue(ProbeOutput.of(root, "p.service").isEmpty());
    }

    @Test
    void of_probeDirectoryALinkOrOpen_empty() throws Exception {
        runtime("rwxr-xr-x");
        Files.createDirectory(root.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("run/unitguard/probe"), root.resolve("elsewhere"));
        assertTrue(ProbeOutput.of(root, "p.service").isEmpty());

        Files.delete(root.resolve("run/unitguard/probe"));
        Files.createDirectory(root.resolve("run/unitguard/probe"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertTrue(ProbeOutput.of(root, "p.service").isEmpty());
    }

    @Test
    void read_printedLines_boundedAndRemoved() throws Exception {
        runtime("rwxr-xr-x");
        ProbeOutput output = ProbeOutput.of(root, "p.service").orElseThrow();
        Path file = root.resolve("run/unitguard/probe/p.service.out");
        Files.writeString(file, "UGPROBE 0 ok\nUGPROBE end\n");

        assertEquals(List.of("UGPROBE 0 ok", "UGPROBE end"), output.read());
        assertFalse(Files.exists(file));
        assertEquals(List.of(), output.read(), "nothing printed: no file");

        Files.write(file, new byte[ProbeOutput.MAX_BYTES + 10]);
        assertEquals(ProbeOutput.MAX_BYTES, output.read().get(0).length());
    }

    private void runtime(String mode) throws Exception {
        Files.createDirectories(root.resolve("run"));
        Files.createDirectory(root.resolve("run/unitguard"));
        Files.setPosixFilePermissions(root.resolve("run/unitguard"), PosixFilePermissions.fromString(mode));
    }
}
