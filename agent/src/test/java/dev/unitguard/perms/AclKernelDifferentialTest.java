package dev.unitguard.perms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dac's ACL-aware decision against the kernel's: seeded random modes, owners and ACL entries on real files (set with
 * setfacl, read back with getfacl), then {@code test -r/-w/-x} run as uid 33 with supplementary group 110 through
 * setpriv.
 */
class AclKernelDifferentialTest {

    private static final Dac.Credentials WWW_DATA = new Dac.Credentials(33, 33, Set.of(110));

    @TempDir
    Path dir;

    static Stream<Integer> seeds() {
        return IntStream.range(0, 30).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void permits_randomAcl_matchesTheKernel(int seed) throws IOException {
        assumeTrue(PermsHost.isRoot(), "changing owners and running as uid 33 needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setfacl")), "setfacl is missing: install the acl package");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is missing");
        Random random = new Random(seed);
        Files.setAttribute(dir, "unix:mode", 0755);
        Path file = Files.writeString(dir.resolve("f"), "x\n");
        int[] ids = {0, 33, 110, 1001};
        Files.setAttribute(file, "unix:uid", ids[random.nextInt(ids.length)]);
        Files.setAttribute(file, "unix:gid", ids[random.nextInt(ids.length)]);
        Files.setAttribute(file, "unix:mode", random.nextInt(0777 + 1));
        List<String> spec = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            spec.add((random.nextBoolean() ? "u:" : "g:") + ids[random.nextInt(ids.length)] + ":" + random.nextInt(8));
        }
        if (random.nextBoolean()) {
            spec.add("m::" + random.nextInt(8));
        }
        PermsHost.run("setfacl", "-n", "-m", String.join(",", spec), file.toString());

        FileInfo info = HostView.of(dir).lstat("/f").orElseThrow();
        for (Access a : Access.values()) {
            boolean kernel = kernelPermits(file, a);
            assertEquals(kernel, Dac.permits(WWW_DATA, info, Set.of(a)),
                    "seed " + seed + " " + a + " on " + Dac.describe(info) + " after setfacl " + spec);
        }
    }

    private static boolean kernelPermits(Path file, Access access) throws IOException {
        String flag = switch (access) {
            case R -> "-r";
            case W -> "-w";
            case X -> "-x";
        };
        Process p = new ProcessBuilder("setpriv", "--reuid=33", "--regid=33", "--groups=110", "--",
                "test", flag, file.toString()).start();
        try {
            return p.waitFor() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
