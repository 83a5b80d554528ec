package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.linux.LibcXattrs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-process ACL reader against {@code getfacl}: seeded random trees of files and directories, given random
 * named-user and named-group entries, masks and default ACLs with {@code setfacl}, then every file's access and
 * default ACL read both ways.
 */
class AclXattrDifferentialTest {

    private static final ProcessRunner RUNNER = ProcessRunner.withTimeout(Duration.ofSeconds(30));

    private static final Path SETFACL = Path.of("/usr/bin/setfacl");
    private static final Path GETFACL = Path.of("/usr/bin/getfacl");

    @TempDir
    Path dir;

    private AclXattr reader;

    @BeforeEach
    void requireTools() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SETFACL) && Files.isExecutable(GETFACL),
                "setfacl/getfacl are missing: install the acl package");
        Path probe = Files.writeString(dir.resolve("probe"), "");
        assumeTrue(run(SETFACL.toString(), "-m", "u:4242:r", probe.toString()).isEmpty(),
                "the file system of " + dir + " keeps no POSIX ACLs");
        Files.delete(probe);
        reader = new AclXattr(new LibcXattrs());
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, 12).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void read_randomTree_sameEntriesAsGetfacl(int seed) throws IOException, InterruptedException {
        Random random = new Random(seed);
        List<Path> files = tree(random);
        Map<Path, Acls> expected = getfacl(files);

        for (Path file : files) {
            Acls acls = expected.get(file);
            List<AclEntry> access = acls.access().size() <= 3 ? List.of() : acls.access();
            assertEquals(access, reader.read(file), "seed " + seed + ": access ACL of " + file);
            assertEquals(acls.defaults(), reader.readDefault(file), "seed " + seed + ": default ACL of " + file);
        }
        assertTrue(expected.values().stream().anyMatch(a -> a.access().size() > 3), "seed " + seed + " set no ACL");
    }

    @Test
    void read_symlinkToFileWithAcl_notFollowed() throws IOException, InterruptedException {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Files.setAttribute(target, "unix:mode", 0644);
        setfacl("-m", "u:4242:rw", target.toString());
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);

        assertEquals("[user::rw-, user:4242:rw-, group::r--, mask::rw-, other::r--]", reader.read(target).toString());
        assertEquals(List.of(), reader.read(link));
    }

    @Test
    void read_missingFile_ioExceptionNamingIt() {
        Path missing = dir.resolve("missing");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> reader.read(missing));
        assertEquals(missing + ": cannot read system.posix_acl_access: No such file or directory", e.getMessage());
    }

    /** Directories (some with default ACLs, which new files below inherit) and files, with random ACL entries. */
    private List<Path> tree(Random random) throws IOException, InterruptedException {
        List<Path> dirs = new ArrayList<>(List.of(dir));
        List<Path> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Path parent = dirs.get(random.nextInt(dirs.size()));
            boolean isDir = random.nextInt(3) == 0;
            Path path = parent.resolve((isDir ? "d" : "f") + i);
            if (isDir) {
                Files.createDirectory(path);
                dirs.add(path);
                if (random.nextInt(3) == 0) {
                    setfacl("-d", "-m", spec(random), path.toString());
                }
            } else {
                Files.writeString(path, "x");
            }
            Files.setAttribute(path, "unix:mode", random.nextInt(0777 + 1) | (isDir ? 0700 : 0600));
            if (random.nextInt(3) != 0) {
                setfacl(random.nextBoolean() ? "-m" : "-nm", spec(random), path.toString());
            }
            all.add(path);
        }
        return all;
    }

    private static String spec(Random random) {
        List<String> spec = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
            spec.add((random.nextBoolean() ? "u:" : "g:") + random.nextInt(70000) + ":" + random.nextInt(8));
        }
        if (random.nextBoolean()) {
            spec.add("m::" + random.nextInt(8));
        }
        return String.join(",", spec);
    }

    private record Acls(List<AclEntry> access, List<AclEntry> defaults) {
    }

    /** One getfacl run over all the files: {@code # file:} blocks of access and {@code default:} entries. */
    private Map<Path, Acls> getfacl(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(GETFACL.toString(), "--numeric", "--no-effective",
                "--absolute-names", "--"));
        files.forEach(f -> command.add(f.toString()));
        Map<Path, Acls> acls = new HashMap<>();
        Path file = null;
        List<AclEntry> access = new ArrayList<>();
        List<AclEntry> defaults = new ArrayList<>();
        for (String line : (output(command) + "\n").split("\n", -1)) {
            if (line.startsWith("# file: ")) {
                file = Path.of(line.substring("# file: ".length()));
            } else if (line.isBlank() && file != null) {
                acls.put(file, new Acls(List.copyOf(access), List.copyOf(defaults)));
                file = null;
                access.clear();
                defaults.clear();
            } else if (line.startsWith("default:")) {
                defaults.add(AclEntry.parse(line.substring("default:".length())));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                access.add(AclEntry.parse(line));
            }
        }
        assertEquals(files.size(), acls.size(), "getfacl printed a block per file");
        return acls;
    }

    private static void setfacl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SETFACL.toString()));
        command.addAll(List.of(args));
        assertEquals("", run(command.toArray(String[]::new)));
    }

    /** Runs a command; returns its error output when it failed, else empty. */
    private static String run(String... command) throws IOException, InterruptedException {
        ProcessResult.Exited ran = RUNNER.stderrToStdout().run(List.of(command)).exited();
        return ran.succeeded() ? "" : String.join(" ", command) + ": " + ran.stdout().text();
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        ProcessResult.Exited ran = RUNNER.run(command).exited();
        assertEquals(0, ran.status(), command + ": " + ran.stderr().text());
        return ran.stdout().text();
    }
}
