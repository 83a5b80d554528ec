package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native {@link StatSource} against the JDK's {@code unix:} attributes, which it replaces where it can be bound:
 * a random tree (files, directories, symlinks dangling or not, a FIFO, odd modes and times with and without
 * nanoseconds), paths under a file and missing ones, kernel file systems and devices; each asked with and without
 * following a final symlink. Both must tell the same, a missing file empty on both sides.
 */
class StatSourceDifferentialTest {

    @TempDir
    Path root;

    @Test
    void stat_sameAsTheJdk_onARandomTreeAndTheKernelsFileSystems() throws Exception {
        assumeTrue(SystemMountTableWatch.STAT.isPresent(), "jnr-ffi cannot bind statx here: the JDK is asked");
        StatSource stat = SystemMountTableWatch.STAT.get();
        List<Path> paths = new ArrayList<>(tree(new Random(5)));
        for (String p : List.of("/", "/proc", "/proc/self", "/proc/apm", "/proc/sys/kernel/hostname", "/sys/fs",
                "/sys/fs/selinux", "/dev/null", "/dev/pts", "/etc/passwd", "/run", "/no/such/file")) {
            paths.add(Path.of(p));
        }
        int present = 0;
        for (Path p : paths) {
            for (boolean follow : new boolean[] {false, true}) {
                assertEquals(HostView.jdkStat(p, follow), stat.stat(p, follow), p + " follow=" + follow);
                present += HostView.jdkStat(p, follow).isPresent() ? 1 : 0;
            }
        }
        assertEquals(true, present > paths.size(), "most paths exist: " + present + " of " + 2 * paths.size());
    }

    private List<Path> tree(Random random) throws IOException, InterruptedException {
        List<Path> dirs = new ArrayList<>(List.of(root));
        for (int i = 0; i < 60; i++) {
            Path dir = dirs.get(random.nextInt(dirs.size()));
            Path p = dir.resolve("n" + i);
            switch (random.nextInt(5)) {
                case 0 -> dirs.add(Files.createDirectory(p));
                case 1 -> Files.createSymbolicLink(p, random.nextBoolean() ? dir : root.resolve("gone" + i));
                case 2 -> new ProcessBuilder("mkfifo", p.toString()).start().waitFor();
                default -> Files.write(p, new byte[random.nextInt(5000)]);
            }
            if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)) { // not the FIFO: setting its times opens it
                Set<PosixFilePermission> perms = Set.copyOf(random.ints(4, 0, PosixFilePermission.values().length)
                        .mapToObj(k -> PosixFilePermission.values()[k]).toList());
                Files.setPosixFilePermissions(p, Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                if (random.nextBoolean()) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(random.nextInt(1_000_000) * 1000L));
                }
                Files.setPosixFilePermissions(p, perms.isEmpty() ? Set.of(PosixFilePermission.OWNER_READ) : perms);
            }
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> {
                all.add(p);
                all.add(p.resolve("x")); // under a file, or missing
            });
        }
        return all;
    }
}
