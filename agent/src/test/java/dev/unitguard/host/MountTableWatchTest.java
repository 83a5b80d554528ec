package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's mark on an open mountinfo, seen through the native {@link MountTableWatch}: a child in a mount
 * namespace of its own (unshare(1)) mounts a tmpfs, and the watch on its mountinfo tells, once; nothing before.
 */
class MountTableWatchTest {

    @TempDir
    Path dir;

    @Test
    void changed_aMountInTheWatchedNamespace_marksItOnce() throws Exception {
        MountTableWatch watches = MountTableWatch.system().orElse(null);
        assumeTrue(watches != null, "jnr-ffi cannot bind the C library here: no native mount watch");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare(1) is missing (util-linux)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a mount namespace of its own needs root");
        Process child = new ProcessBuilder("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "echo ready; read go; mount -t tmpfs unitguard-watch-test \"$0\" && echo mounted; read end", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = child.outputWriter()) {
            assertEquals("ready", out.readLine());
            Path mountInfo = Path.of("/proc/" + child.pid() + "/mountinfo");
            try (MountTableWatch.Watch watch = watches.open(mountInfo)) {
                assertFalse(watch.changed(), "nothing mounted since the file was opened");
                in.write("\n");
                in.flush();
                assertEquals("mounted", out.readLine());
                assertTrue(watch.changed(), "the mount marks the open file");
                assertFalse(watch.changed(), "the mark is cleared once seen");
                assertTrue(Files.readString(mountInfo).contains("unitguard-watch-test"));
            }
            in.write("\n");
            in.flush();
        } finally {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertEquals(0, child.exitValue());
    }

    @Test
    void open_missingFile_namesIt() {
        MountTableWatch watches = MountTableWatch.system().orElse(null);
        assumeTrue(watches != null, "jnr-ffi cannot bind the C library here: no native mount watch");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> watches.open(dir.resolve("missing")));
        assertTrue(e.getMessage().startsWith(dir.resolve("missing") + ": cannot open"), e.getMessage());
    }
}
