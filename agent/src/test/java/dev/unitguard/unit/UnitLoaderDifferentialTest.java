package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random unit trees under a temporary --root, loaded by {@link UnitLoader} and by {@code systemd-analyze --root=R
 * verify}: every file carries an unknown key, so systemd's warnings list the files in the order it applied them.
 */
class UnitLoaderDifferentialTest {

    private static final List<String> DIRS = List.of("/etc/systemd/system.control", "/etc/systemd/system",
            "/run/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system");
    private static final List<String> DROPIN_DIRS = List.of("foo-bar-baz.service.d", "foo-bar-.service.d",
            "foo-.service.d", "service.d", "app@.service.d", "app@inst.service.d", "alias.service.d", "ap-.service.d",
            "app-.service.d", "other.service.d");
    private static final List<String> CONFS = List.of("10-a.conf", "20-b.conf", "30-c.conf", "x.conf");
    private static final List<String> REQUESTS = List.of("foo-bar-baz.service", "app@inst.service", "alias.service");

    static LongStream seeds() {
        return LongStream.range(0, 150);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void load_randomTree_appliesFilesInSystemdsOrder(long seed, @TempDir Path root) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze not installed");
        Random random = new Random(seed);
        String request = REQUESTS.get(random.nextInt(REQUESTS.size()));
        buildTree(random, root);
        EffectiveUnit unit = UnitLoader.forRoot(root).load(request);
        List<String> ours = unit.warnings().stream().map(Diagnostic::toString).toList();
        String tree = tree(root);
        List<String> systemd = systemdWarnings(root, request);
        assertTrue(systemd.size() >= 2, "systemd-analyze reported no file at all");
        assertEquals(systemd.get(0), unit.name(), "unit name as systemd reports it");
        assertEquals(systemd.subList(1, systemd.size()), ours, () -> "seed " + seed + " " + request + " tree:\n" + tree);
    }

    private static void buildTree(Random random, Path root) throws IOException {
        String fragmentDir = DIRS.get(random.nextInt(DIRS.size()));
        write(root, fragmentDir + "/foo-bar-baz.service", 0);
        write(root, DIRS.get(random.nextInt(DIRS.size())) + "/app@.service", 0);
        Path alias = root.resolve(DIRS.get(random.nextInt(DIRS.size())).substring(1)).resolve("alias.service");
        Files.createDirectories(alias.getParent());
        Files.deleteIfExists(alias);
        Files.createSymbolicLink(alias, Path.of(fragmentDir + "/foo-bar-baz.service"));
        int count = 3 + random.nextInt(10);
        for (int i = 0; i < count; i++) {
            String file = DIRS.get(random.nextInt(DIRS.size())) + "/" + DROPIN_DIRS.get(random.nextInt(DROPIN_DIRS.size()))
                    + "/" + CONFS.get(random.nextInt(CONFS.size()));
            int kind = random.nextInt(8);
            if (kind == 0) {
                Path link = root.resolve(file.substring(1));
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, Path.of("/dev/null"));
            } else {
                write(root, file, kind == 1 ? -1 : i + 1);
            }
        }
    }

    /** Writes a unit file whose line 2 is an unknown key (the marker), or an empty file for marker -1. */
    private static void write(Path root, String file, int marker) throws IOException {
        Path path = root.resolve(file.substring(1));
        Files.createDirectories(path.getParent());
        String text = marker < 0 ? "" : "[Service]\nBogus" + marker + "=1\n" + (marker == 0 ? "ExecStart=/bin/true\n" : "");
        Files.deleteIfExists(path);
        Files.writeString(path, text);
    }

    private static List<String> systemdWarnings(Path root, String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-analyze", "--root=" + root, "verify", "--man=no", name)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<String> result = new ArrayList<>();
        result.add(out.lines().filter(l -> l.matches("\\S+: Command /bin/true is not executable.*"))
                .map(l -> l.substring(0, l.indexOf(':'))).findFirst().orElse("?"));
        for (String line : out.lines().toList()) {
            if (line.startsWith(root + "/") && line.contains(": Unknown key")) {
                result.add(line);
            }
        }
        return result;
    }

    private static String tree(Path root) throws IOException {
        StringBuilder out = new StringBuilder();
        try (var walk = Files.walk(root)) {
            walk.filter(p -> !Files.isDirectory(p)).sorted().forEach(p -> out.append(root.relativize(p))
                    .append(Files.isSymbolicLink(p) ? " -> link" : "").append('\n'));
        }
        return out.toString();
    }
}
