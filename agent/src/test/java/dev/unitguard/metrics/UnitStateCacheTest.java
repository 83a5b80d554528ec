package dev.unitguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitStateCacheTest {

    @TempDir
    Path root;

    @Test
    void filesStamp_dropInRewrittenAtomicallyUnderSamePath_changes() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd/system/app.service.d"));
        Files.writeString(root.resolve("etc/systemd/system/app.service"), "[Service]\nExecStart=/bin/true\n");
        Path dropIn = root.resolve("etc/systemd/system/app.service.d/50-unitguard.conf");
        Files.writeString(dropIn, "[Service]\nProtectSystem=strict\n");
        String fragment = "/etc/systemd/system/app.service";
        List<String> dropIns = List.of("/etc/systemd/system/app.service.d/50-unitguard.conf");
        String before = UnitStateCache.filesStamp(root, fragment, dropIns);
        assertEquals(before, UnitStateCache.filesStamp(root, fragment, dropIns), "nothing changed");

        // as an apply writes it: a temporary file beside it, renamed over it; same paths, same size
        Path temp = Files.writeString(dropIn.resolveSibling(".#unitguard.tmp"), "[Service]\nProtectSystem=full  \n");
        Files.move(temp, dropIn, StandardCopyOption.ATOMIC_MOVE);
        assertNotEquals(before, UnitStateCache.filesStamp(root, fragment, dropIns));
    }

    @Test
    void filesStamp_missingFile_isStableAndDiffersFromPresent() throws Exception {
        List<String> dropIns = List.of("/etc/systemd/system/gone.conf");
        String missing = UnitStateCache.filesStamp(root, "", dropIns);
        assertEquals(missing, UnitStateCache.filesStamp(root, "", dropIns));
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(root.resolve("etc/systemd/system/gone.conf"), "[Service]\n");
        assertNotEquals(missing, UnitStateCache.filesStamp(root, "", dropIns));
    }
}
