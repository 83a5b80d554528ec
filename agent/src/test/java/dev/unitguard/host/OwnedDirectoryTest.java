package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedDirectoryTest {

    private static final Predicate<Set<PosixFilePermission>> PRIVATE = OwnedDirectory.exactly("rwx------");
    private static final Predicate<Set<PosixFilePermission>> NO_GROUP_WRITE = OwnedDirectory.without(
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));

    @TempDir
    Path tmp;

    @BeforeEach
    void asRoot() throws IOException {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(tmp, "unix:uid")),
                "needs root: the directories judged must be owned by uid 0, and one chowned away from it");
    }

    private Path dir(String name, String mode) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    @Test
    void ownedByRoot_privateRootDirectory_accepted() throws IOException {
        Path dir = dir("own", "rwx------");
        assertTrue(OwnedDirectory.ownedByRoot(dir, PRIVATE));
        assertTrue(OwnedDirectory.ownedByRoot(dir, NO_GROUP_WRITE));
    }

    @Test
    void ownedByRoot_plantedLinkToPrivateRootDirectory_refused() throws IOException {
        Path target = dir("target", "rwx------");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertFalse(OwnedDirectory.ownedByRoot(link, PRIVATE));
        assertFalse(OwnedDirectory.ownedByRoot(link, NO_GROUP_WRITE));
    }

    @Test
    void ownedByRoot_directoryOfAnotherOwner_refused() throws IOException {
        Path dir = dir("theirs", "rwx------");
        Files.setAttribute(dir, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        assertFalse(OwnedDirectory.ownedByRoot(dir, PRIVATE));
        assertFalse(OwnedDirectory.ownedByRoot(dir, NO_GROUP_WRITE));
    }

    @Test
    void ownedByRoot_groupWritableDirectory_refused() throws IOException {
        Path dir = dir("shared", "rwxrwx---");
        assertFalse(OwnedDirectory.ownedByRoot(dir, PRIVATE));
        assertFalse(OwnedDirectory.ownedByRoot(dir, NO_GROUP_WRITE));
    }

    @Test
    void ownedByRoot_groupReadableDirectory_onlyTheExactModeRefuses() throws IOException {
        Path dir = dir("readable", "rwxr-x---");
        assertFalse(OwnedDirectory.ownedByRoot(dir, PRIVATE));
        assertTrue(OwnedDirectory.ownedByRoot(dir, NO_GROUP_WRITE));
    }

    @Test
    void ownedByRoot_regularFileOrMissing_refused() throws IOException {
        Path file = Files.createFile(tmp.resolve("file"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        assertFalse(OwnedDirectory.ownedByRoot(file, PRIVATE));
        assertFalse(OwnedDirectory.ownedByRoot(tmp.resolve("missing"), PRIVATE));
    }
}
