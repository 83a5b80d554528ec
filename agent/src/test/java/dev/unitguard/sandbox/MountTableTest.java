package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.host.HostView;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {

    @TempDir
    Path root;

    private List<String> normalize(MountEntry... entries) {
        return MountTable.normalize(List.of(entries), HostView.of(root, java.util.Map.of())).stream()
                .map(MountEntry::toString).toList();
    }

    @Test
    void normalize_samePath_strongerModeWinsAndReadOnlyIsOred() {
        assertEquals(List.of("/srv BIND_MOUNT_RECURSIVE ro (BindPaths=/data:/srv)"), normalize(
                MountEntry.of("/srv", MountMode.READONLY, false, "ReadOnlyPaths=/srv"),
                new MountEntry("/srv", MountMode.BIND_MOUNT_RECURSIVE, false, false, false, false, "/data",
                        "BindPaths=/data:/srv", null, null, null)));
    }

    @Test
    void normalize_belowInaccessible_isDropped() {
        assertEquals(List.of("/srv INACCESSIBLE ro noexec (InaccessiblePaths=/srv)",
                        "/srv-other READWRITE (ReadWritePaths=/srv-other)"),
                normalize(MountEntry.of("/srv/app", MountMode.READWRITE, false, "ReadWritePaths=/srv/app"),
                        MountEntry.of("/srv-other", MountMode.READWRITE, false, "ReadWritePaths=/srv-other"),
                        MountEntry.of("/srv", MountMode.INACCESSIBLE, false, "InaccessiblePaths=/srv")));
    }

    @Test
    void normalize_childWithParentsMode_isDroppedAsNop() {
        assertEquals(List.of("/ READONLY ro (ProtectSystem=strict)"), normalize(
                MountEntry.of("/", MountMode.READONLY, false, "ProtectSystem=strict"),
                MountEntry.of("/srv/missing", MountMode.READONLY, false, "ReadOnlyPaths=/srv/missing")));
    }

    @Test
    void comparePaths_parentsFirstThenComponentOrder() {
        List<String> sorted = new java.util.ArrayList<>(List.of("/a-b", "/a/b", "/", "/a", "/a/b/c", "/b"));
        sorted.sort(MountTable::comparePaths);
        assertEquals(List.of("/", "/a", "/a/b", "/a/b/c", "/a-b", "/b"), sorted);
    }

    @Test
    void comparePaths_randomPaths_sameOrderAsComponentArrays() {
        java.util.Random random = new java.util.Random(11);
        String[] parts = {"", "/", "//", "a", "b", "ab", "a.b", "a-b", ".", "..", "A", "\u00e9"};
        for (int n = 0; n < 20_000; n++) {
            String x = randomPath(random, parts);
            String y = randomPath(random, parts);
            assertEquals(Integer.signum(byComponents(x, y)), Integer.signum(MountTable.comparePaths(x, y)),
                    x + " vs " + y);
        }
    }

    private static String randomPath(java.util.Random random, String[] parts) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            b.append(parts[random.nextInt(parts.length)]).append(random.nextBoolean() ? "/" : "");
        }
        return b.toString();
    }

    /** systemd's path_compare() as the model wrote it first: the components as arrays. */
    private static int byComponents(String a, String b) {
        String[] x = dev.unitguard.host.Dac.components(a);
        String[] y = dev.unitguard.host.Dac.components(b);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
