package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** How {@code path} is judged when exactly rwx------ is asked for, and when only no group/other write is. */
    private static void assertJudged(Path path, boolean asPrivate, boolean withoutGroupWrite) throws IOException {
        assertEquals(asPrivate, OwnedDirectory.ownedByRoot(path, PRIVATE), path + " as rwx------");
        assertEquals(withoutGroupWrite, OwnedDirectory.ownedByRoot(path, NO_GROUP_WRITE), path + " without g/o write");
    }

    @Test
    void ownedByRoot_privateRootDirectory_accepted() throws IOException {
        Path dir = dir("own", "rwx------");
        assertJudged(dir, true, true);
    }

    @Test
    void ownedByRoot_plantedLinkToPrivateRootDirectory_refused() throws IOException {
        Path target = dir("target", "rwx------");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertJudged(link, false, false);
    }

    @Test
    void ownedByRoot_directoryOfAnotherOwner_refused() throws IOException {
        Path dir = dir("theirs", "rwx------");
        Files.setAttribute(dir, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        assertJudged(dir, false, false);
    }

    @Test
    void ownedByRoot_groupWritableDirectory_refused() throws IOException {
        Path dir = dir("shared", "rwxrwx---");
        assertJudged(dir, false, false);
    }

    @Test
    void ownedByRoot_groupReadableDirectory_onlyTheExactModeRefuses() throws IOException {
        Path dir = dir("readable", "rwxr-x---");
        assertJudged(dir, false, true);
    }

    @Test
    void ownedByRoot_regularFileOrMissing_refused() throws IOException {
        Path file = Files.createFile(tmp.resolve("file"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        assertJudged(file, false, false);
        assertJudged(tmp.resolve("missing"), false, false);
    }
}
