package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search path index kept per snapshot: reused while the unit directories are unchanged, rebuilt on change. */
class UnitLoaderSnapshotTest {

    /** A clock a minute ahead: the directories written by the test count as settled. */
    private static final Clock LATER = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));

    @TempDir
    Path root;

    private Path write(String inRoot, String text) throws IOException {
        Path path = root.resolve(inRoot.substring(1));
        Files.createDirectories(path.getParent());
        return Files.writeString(path, text);
    }

    /** Moves a directory's modification time on, as the next clock tick of a later change would. */
    private void touched(String inRoot, int seconds) throws IOException {
        Files.setLastModifiedTime(root.resolve(inRoot.substring(1)),
                FileTime.from(Instant.now().plusSeconds(seconds)));
    }

    @Test
    void forRoot_unchangedSettledSearchPath_sameIndex() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");

        assertSame(UnitLoader.forRoot(root, LATER), UnitLoader.forRoot(root, LATER));
    }

    @Test
    void forRoot_searchDirectoryJustChanged_notKept() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");

        assertNotSame(UnitLoader.forRoot(root), UnitLoader.forRoot(root));
    }

    @Test
    void forRoot_unitAndAliasAdded_newIndexFindsThem() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");
        UnitLoader before = UnitLoader.forRoot(root, LATER);
        before.load("app.service");

        write("/etc/systemd/system/other.service", "[Service]\nExecStart=/bin/other\n");
        Files.createSymbolicLink(root.resolve("etc/systemd/system/alias.service"),
                Path.of("/lib/systemd/system/app.service"));
        touched("/etc/systemd/system", 5);
        UnitLoader after = UnitLoader.forRoot(root, LATER);

        assertNotSame(before, after);
        assertEquals("/bin/other", after.load("other.service").value("Service", "ExecStart").orElseThrow());
        assertEquals("app.service", after.load("alias.service").name());
    }

    /** The unchanged directory's listing is carried over to the new snapshot; the new alias still names the unit. */
    @Test
    void forRoot_aliasAddedBesideUnchangedDirectory_aliasDropInsApply() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");
        write("/etc/systemd/system/other.service", "[Service]\nExecStart=/bin/other\n");
        UnitLoader before = UnitLoader.forRoot(root, LATER);
        assertEquals(List.of(), before.load("app.service").dropInPaths());

        Files.createSymbolicLink(root.resolve("etc/systemd/system/alias.service"),
                Path.of("/lib/systemd/system/app.service"));
        Path dropIn = write("/etc/systemd/system/alias.service.d/50-x.conf", "[Service]\nPrivateTmp=yes\n");
        touched("/etc/systemd/system", 5);
        UnitLoader after = UnitLoader.forRoot(root, LATER);

        assertNotSame(before, after);
        assertEquals(List.of(dropIn), after.load("app.service").dropInPaths());
        assertEquals("app.service", after.load("alias.service").name());
    }

    @Test
    void forRoot_dropInDirectoryCreated_seen() throws Exception {
        write("/etc/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");
        assertEquals(List.of(), UnitLoader.forRoot(root, LATER).load("app.service").dropInPaths());

        Path dropIn = write("/etc/systemd/system/app.service.d/50-unitguard.conf", "[Service]\nPrivateTmp=yes\n");
        touched("/etc/systemd/system", 5);

        assertEquals(List.of(dropIn), UnitLoader.forRoot(root, LATER).load("app.service").dropInPaths());
    }

    @Test
    void forRoot_fileAddedToExistingDropInDirectory_sameIndexReadsIt() throws Exception {
        write("/etc/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");
        write("/etc/systemd/system/app.service.d/10-a.conf", "[Service]\nPrivateTmp=yes\n");
        UnitLoader before = UnitLoader.forRoot(root, LATER);
        before.load("app.service");

        write("/etc/systemd/system/app.service.d/50-unitguard.conf", "[Service]\nProtectSystem=strict\n");
        UnitLoader after = UnitLoader.forRoot(root, LATER);

        assertSame(before, after);
        assertEquals("strict", after.load("app.service").value("Service", "ProtectSystem").orElseThrow());
    }
}
