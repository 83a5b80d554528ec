package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.HostView;
import dev.unitguard.systemd.TransientProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeDirectoriesTest {

    @TempDir
    Path root;
    private HostView host;

    @BeforeEach
    void tree() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1234:1240::/:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1240:\nshared:x:1300:\n");
        Files.createDirectories(root.resolve("run/app"));
        Files.createDirectories(root.resolve("var/lib/private/dyn"));
        host = HostView.of(root, Map.of());
    }

    @Test
    void of_existingDirectory_boundAsItIs() throws Exception {
        ProbeDirectories.Plan plan = ProbeDirectories.of(ProbePropertiesTest.unit("RuntimeDirectory=app",
                "RuntimeDirectoryMode=2755"), host, Optional.of("app"), Optional.empty());

        assertEquals(List.of(new TransientProperty.Bind("/run/app", "/run/app", false, true)), plan.binds());
        assertEquals(List.of(), plan.tmpfs());
        assertEquals(List.of(), plan.mountPoints());
        assertEquals(List.of("RuntimeDirectory=app: /run/app as it is now (the probe does not create, chown, chmod "
                + "or remove it as systemd does for the service)"), plan.notSeen());
    }

    @Test
    void of_missingDirectory_emptyTmpfsOwnedAsSystemdWouldCreateIt() throws Exception {
        ProbeDirectories.Plan plan = ProbeDirectories.of(ProbePropertiesTest.unit("StateDirectory=app/",
                "StateDirectoryMode=0750", "CacheDirectory=app"), host, Optional.of("app"), Optional.of("shared"));

        assertEquals(List.of(new TransientProperty.Pair("/var/lib/app", "mode=0750,uid=1234,gid=1300"),
                new TransientProperty.Pair("/var/cache/app", "mode=0755,uid=1234,gid=1300")), plan.tmpfs());
        assertEquals(List.of("/var/lib/app", "/var/cache/app"), plan.mountPoints());
        assertEquals(List.of(), plan.binds());
    }

    @Test
    void of_dynamicUser_privateLayoutForExistingAndWorldWritableForMissing() throws Exception {
        ProbeDirectories.Plan plan = ProbeDirectories.of(ProbePropertiesTest.unit("DynamicUser=yes",
                "StateDirectory=dyn new"), host, Optional.empty(), Optional.empty());

        assertEquals(List.of(new TransientProperty.Bind("/var/lib/private/dyn", "/var/lib/private/dyn", false, true)),
                plan.binds());
        assertEquals(List.of(new TransientProperty.Pair("/var/lib/private", "ro,mode=0755"),
                new TransientProperty.Pair("/var/lib/new", "mode=1777")), plan.tmpfs());
    }

    @Test
    void of_prefixBehindASymlink_resolvedWithinTheRoot() throws Exception {
        Files.createDirectories(root.resolve("srv/cache/app"));
        Files.createDirectories(root.resolve("var"));
        Files.createSymbolicLink(root.resolve("var/cache"), Path.of("/srv/cache"));

        ProbeDirectories.Plan plan = ProbeDirectories.of(ProbePropertiesTest.unit("CacheDirectory=app"), host,
                Optional.empty(), Optional.empty());

        assertEquals(List.of(new TransientProperty.Bind("/srv/cache/app", "/srv/cache/app", false, true)),
                plan.binds());
    }

    @Test
    void of_notADirectory_refused() throws Exception {
        Files.createSymbolicLink(root.resolve("run/link"), Path.of("/srv"));

        ProbeException e = assertThrows(ProbeException.class, () -> ProbeDirectories.of(
                ProbePropertiesTest.unit("RuntimeDirectory=link"), host, Optional.empty(), Optional.empty()));

        assertEquals("app.service: RuntimeDirectory=link: /run/link is not a directory (symlink); the probe binds "
                + "only real directories", e.getMessage());
    }

    @Test
    void of_directorySymlink_refusedNamingTheLine() {
        ProbeException e = assertThrows(ProbeException.class, () -> ProbeDirectories.of(
                ProbePropertiesTest.unit("StateDirectory=a:b"), host, Optional.empty(), Optional.empty()));

        assertEquals("app.service: StateDirectory=a:b (app.service:2): the probe cannot pass directory symlinks "
                + "(NAME:LINK) to a transient unit", e.getMessage());
    }

    @Test
    void removeMountPoints_onlyEmptyDirectoriesTheProbeLeft() throws Exception {
        Files.createDirectories(root.resolve("var/lib/empty"));
        Files.createDirectories(root.resolve("var/lib/used"));
        Files.writeString(root.resolve("var/lib/used/redis.pid"), "42\n");

        ProbeDirectories.removeMountPoints(root, List.of("/var/lib/empty", "/var/lib/used", "/var/lib/gone"));

        // the test runs as root in the lab machines and as a user elsewhere: only root-owned directories go
        boolean root = "root".equals(System.getProperty("user.name"));
        assertEquals(!root, Files.exists(root().resolve("var/lib/empty")));
        assertTrue(Files.exists(root().resolve("var/lib/used/redis.pid")));
        assertFalse(Files.exists(root().resolve("var/lib/gone")));
    }

    private Path root() {
        return root;
    }
}
