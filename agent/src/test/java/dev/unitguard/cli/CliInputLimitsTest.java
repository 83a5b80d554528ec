package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs named on the command line are bounded: regular files only (a FIFO is refused without blocking), of
 * bounded size, manifests bounded in entries, {@code --root} an existing directory, account files under it
 * well-formed. Each refusal is exit 2 with one line on stderr.
 */
class CliInputLimitsTest {

    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Path root;
    private Path unit;
    private Path manifest;

    @BeforeEach
    void host() throws IOException {
        root = dir.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        unit = Files.writeString(dir.resolve("app.service"), "[Service]\nExecStart=/bin/true\n");
        manifest = Files.writeString(dir.resolve("requires.json"), "{\"paths\": []}");
    }

    private static void assertRefused(String expectedErr, CliRun run) {
        assertEquals(2, run.status(), run.out() + run.err());
        assertEquals("unitguard: " + expectedErr + "\n", run.err());
    }

    private CliRun check(Path unitFile, Path manifestFile) {
        return CliRun.of("check", "--root", root.toString(), "--requires", manifestFile.toString(),
                unitFile.toString());
    }

    private static Path fifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        return path;
    }

    /** A 3 GiB file that takes no disk space. */
    private static Path sparse3GiB(Path path) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        return path;
    }

    @Test
    void check_unitFileIsFifo_refusedWithoutBlocking() throws Exception {
        Path fifo = fifo(dir.resolve("fifo.service"));
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> check(fifo, manifest));
        assertRefused(fifo + ": is a FIFO, not a regular file", run);
    }

    @Test
    void check_manifestIsFifo_refusedWithoutBlocking() throws Exception {
        Path fifo = fifo(dir.resolve("requires.fifo"));
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> check(unit, fifo));
        assertRefused(fifo + ": is a FIFO, not a regular file", run);
    }

    @Test
    void perms_manifestIsDirectory_refused() {
        CliRun run = CliRun.of("perms", "--root", root.toString(), "--requires", dir.toString(), unit.toString());
        assertRefused(dir + ": is a directory, not a regular file", run);
    }

    @Test
    void score_unitFileIsCharacterDevice_refused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root");
        Path zero = dir.resolve("zero.service");
        assertEquals(0, new ProcessBuilder("mknod", zero.toString(), "c", "1", "5").start().waitFor());
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> CliRun.of("score", "--root", root.toString(),
                "--systemd-version", "252", zero.toString()));
        assertRefused(zero + ": is a character device, not a regular file", run);
    }

    @Test
    void check_hugeSparseUnitFile_refusedBySize() throws Exception {
        Path huge = sparse3GiB(dir.resolve("huge.service"));
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> check(huge, manifest));
        assertRefused(huge + ": is larger than the limit of 1 MiB (3221225472 bytes or more)", run);
    }

    @Test
    void check_hugeSparseManifest_refusedBySize() throws Exception {
        Path huge = sparse3GiB(dir.resolve("huge.json"));
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> check(unit, huge));
        assertRefused(huge + ": is larger than the limit of 4 MiB (3221225472 bytes or more)", run);
    }

    @Test
    void check_manifestWith200000Paths_refusedQuickly() throws Exception {
        StringBuilder json = new StringBuilder("{\"paths\": [");
        for (int i = 0; i < 200_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"path\":\"/p").append(i).append("\",\"access\":\"r\"}");
        }
        Path big = Files.writeString(dir.resolve("big.json"), json.append("]}"));
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> check(unit, big));
        assertRefused(big + ": is larger than the limit of 4 MiB (" + Files.size(big) + " bytes or more)", run);
        Path many = Files.writeString(dir.resolve("many.json"), "{\"paths\": ["
                + "{\"path\":\"/p\",\"access\":\"r\"},".repeat(10_000) + "{\"path\":\"/q\",\"access\":\"r\"}]}");
        run = assertTimeoutPreemptively(AT_ONCE, () -> check(unit, many));
        assertRefused("many.json: $.paths: more than 10000 entries (10001)", run);
    }

    @Test
    void check_manifestPathWithControlCharacter_namesTheField() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"paths": [{"path": "/a", "access": "r"}, {"path": "/b", "access": "r"}, {"path": "/c", "access": "r"},
                           {"path": "/etc/x\\ny", "access": "r"}]}""");
        assertRefused("bad.json: $.paths[3].path: control character U+000A in path", check(unit, bad));
    }

    @Test
    void check_manifestPathTooLong_namesTheField() throws Exception {
        Path bad = Files.writeString(dir.resolve("long.json"),
                "{\"paths\": [{\"path\": \"/" + "a".repeat(4095) + "\", \"access\": \"r\"}]}");
        assertRefused("long.json: $.paths[0].path: path longer than 4095 bytes", check(unit, bad));
    }

    @Test
    void check_emptyRoot_refused() {
        CliRun run = CliRun.of("check", "--root", "", "--requires", manifest.toString(), unit.toString());
        assertRefused("--root: expected a directory, got an empty string", run);
    }

    @Test
    void score_rootIsAFile_refused() {
        CliRun run = CliRun.of("score", "--root", unit.toString(), unit.toString());
        assertRefused("--root " + unit + ": not a directory", run);
    }

    @Test
    void perms_garbagePasswdUnderRoot_namesFileAndLine() throws Exception {
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n# a comment\ngarbage\n");
        CliRun run = CliRun.of("perms", "--root", root.toString(), "--requires", manifest.toString(),
                unit.toString());
        assertRefused(root.resolve("etc/passwd") + ":3: expected name:password:UID:GID:GECOS:home:shell", run);
    }

    @Test
    void check_groupFileIsFifo_refusedWithoutBlocking() throws Exception {
        Files.delete(root.resolve("etc/group"));
        fifo(root.resolve("etc/group"));
        CliRun run = assertTimeoutPreemptively(AT_ONCE, () -> check(unit, manifest));
        assertRefused(root.resolve("etc/group") + ": is a FIFO, not a regular file", run);
    }
}
