package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RootFs#chaseIn} (one lstat for an entry of a directory already followed) against {@link RootFs#chase} of
 * the whole path, on random trees of directories, files and links: relative, absolute (re-rooted), to /dev/null,
 * dangling, through "..", in loops.
 */
class RootFsTest {

    private static final List<String> DIRS = List.of("/etc", "/etc/systemd", "/etc/systemd/system", "/usr",
            "/usr/lib", "/usr/lib/systemd", "/usr/lib/systemd/system", "/run", "/run/systemd", "/dev");
    private static final List<String> NAMES = List.of("a.service", "b.service", "a.service.d", "service.d", "x",
            "dev", "null");

    static LongStream seeds() {
        return LongStream.range(0, 100);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void chaseIn_randomTree_sameAsChasingTheWholePath(long seed, @TempDir Path root) throws IOException {
        Random random = new Random(seed);
        for (String dir : DIRS) {
            if (random.nextInt(4) > 0) {
                Files.createDirectories(root.resolve(dir.substring(1)));
            }
        }
        if (random.nextBoolean()) {
            Files.createDirectories(root.resolve("usr/lib/systemd/system"));
            Files.createSymbolicLink(root.resolve("lib"), Path.of(random.nextBoolean() ? "usr/lib" : "/usr/lib"));
        }
        List<String> all = List.of("/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
                "/run/systemd", "/etc", "/usr/lib");
        Path realRoot = root.toRealPath();
        for (int i = 0; i < 25; i++) {
            Path entry = root.resolve(all.get(random.nextInt(all.size())).substring(1))
                    .resolve(NAMES.get(random.nextInt(NAMES.size())));
            // never through a link: /lib may be an absolute link, which the host resolves to its own /usr/lib
            if (!Files.isDirectory(entry.getParent(), LinkOption.NOFOLLOW_LINKS)
                    || !entry.getParent().toRealPath().equals(realRoot.resolve(root.relativize(entry.getParent())))
                    || Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            switch (random.nextInt(6)) {
                case 0 -> Files.createDirectory(entry);
                case 1 -> Files.writeString(entry, "");
                case 2 -> Files.createSymbolicLink(entry, Path.of("/dev/null"));
                case 3 -> Files.createSymbolicLink(entry, Path.of(all.get(random.nextInt(all.size()))
                        + "/" + NAMES.get(random.nextInt(NAMES.size()))));
                case 4 -> Files.createSymbolicLink(entry, Path.of("../" + NAMES.get(random.nextInt(NAMES.size()))));
                default -> Files.createSymbolicLink(entry, Path.of(NAMES.get(random.nextInt(NAMES.size()))));
            }
        }
        RootFs fs = new RootFs(root);
        for (String dir : List.of("/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
                "/run/systemd", "/etc", "/usr/lib", "/dev")) {
            String chasedDir = fs.chase(dir);
            if (chasedDir == null) {
                continue;
            }
            for (String name : NAMES) {
                assertEquals(fs.chase(dir + "/" + name), fs.chaseIn(dir, chasedDir, name),
                        "seed " + seed + ": " + dir + "/" + name);
            }
        }
    }
}
