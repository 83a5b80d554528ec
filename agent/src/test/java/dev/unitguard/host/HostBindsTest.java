package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostBindsTest {

    @TempDir
    Path dir;

    @Test
    void parse_unitsSyntax_mapsEachSource() {
        HostBinds binds = HostBinds.parse(" /tmp:/run/unitguard/host/tmp\t/dev:/run/unitguard/host/dev ");

        assertEquals(Map.of("/tmp", Path.of("/run/unitguard/host/tmp"), "/dev", Path.of("/run/unitguard/host/dev")),
                binds.destinations());
        assertEquals(HostBinds.NONE, HostBinds.parse(null));
        assertEquals(HostBinds.NONE, HostBinds.parse("  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tmp", "tmp:/x", "/tmp:x", "/tmp/:/x", "/tmp:/x/../y", "//tmp:/x", "/:/x",
        "/tmp:/x:/y", "/tmp:/x /tmp:/y"})
    void parse_malformed_refusedNamingTheEntry(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostBinds.parse(spec));

        assertEquals(true, e.getMessage().startsWith("UNITGUARD_HOST_BINDS: \""), e.getMessage());
    }

    @Test
    void locate_underSourceOnly_namesBelowTheDestination() {
        HostBinds binds = HostBinds.parse("/tmp:/run/h/tmp");

        assertEquals(Path.of("/run/h/tmp/a/b"), binds.locate("/tmp/a/b").orElseThrow().path());
        assertEquals(Path.of("/run/h/tmp"), binds.locate("/tmp").orElseThrow().path());
        assertEquals(List.of("a", "b"), binds.locate("/tmp/a/b").orElseThrow().names());
        assertEquals(Optional.empty(), binds.locate("/tmpfoo/a"));
        assertEquals(Optional.empty(), binds.locate("/srv/tmp"));
    }

    @Test
    void missing_destinationNotADirectory_saysWhichAndWhy() throws IOException {
        Path there = Files.createDirectories(dir.resolve("tmp"));

        assertEquals(Optional.empty(), HostBinds.parse("/tmp:" + there).missing());
        assertEquals(Optional.of("UNITGUARD_HOST_BINDS names " + dir.resolve("dev") + " (for /dev), not a directory:"
                + " the unit's BindReadOnlyPaths= must bind the host's directories there"),
                HostBinds.parse("/tmp:" + there + " /dev:" + dir.resolve("dev")).missing());
    }

    @Test
    void hostView_withBinds_readsAndResolvesLinksThroughTheDestination() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        Path hostTmp = Files.createDirectories(dir.resolve("bound/tmp/app"));
        Files.writeString(hostTmp.resolve("data"), "x");
        Files.createSymbolicLink(hostTmp.resolve("link"), Path.of("/tmp/app/data"));
        HostView plain = HostView.of(root, Map.of());
        HostView bound = plain.withBinds(HostBinds.parse("/tmp:" + dir.resolve("bound/tmp")));

        assertEquals(Optional.empty(), plain.stat("/tmp/app/data"));
        assertEquals(FileInfo.Type.REGULAR, bound.stat("/tmp/app/data").orElseThrow().type());
        assertEquals("/tmp/app/data", bound.resolve("/tmp/app/link"));
        assertEquals(List.of("data", "link"), bound.list("/tmp/app"));
        assertEquals(Optional.of("/tmp/app/data"), bound.readLink("/tmp/app/link"));
    }
}
