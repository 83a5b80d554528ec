package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine never writes or reads through a link: a symlinked {@code UNIT.d} or unit file is refused and the
 * target stays as it was, history holds none of its content; what it creates gets 0755/0644 whatever the umask.
 */
class NoFollowWritesTest {

    private static final String SECRET = "root:$6$secret-hash:19000:0:99999:7:::\n";

    @TempDir
    Path dir;
    private ApplyFixture fx;
    private ApplyService service;
    private Path units;
    private Path cron;

    @BeforeEach
    void setUp() throws IOException {
        fx = new ApplyFixture(dir);
        service = fx.service();
        units = fx.root.resolve("etc/systemd/system");
        cron = Files.createDirectories(fx.root.resolve("etc/cron.d"));
        Files.writeString(cron.resolve("job"), "* * * * * root true\n");
        Files.writeString(fx.root.resolve("etc/shadow"), SECRET);
    }

    @Test
    void hardening_symlinkedDropInDirectory_refusedAndNothingWrittenThere() throws Exception {
        Files.createSymbolicLink(units.resolve("app.service.d"), cron);

        ApplyResult result = service.applyHardening(ApplyFixture.hardening(Map.of("ProtectSystem", "strict"), false),
                ALICE);

        ApplyResult.Refused refused = assertInstanceOf(ApplyResult.Refused.class, result);
        assertEquals(List.of(units.resolve("app.service.d") + ": is a symlink (to " + cron
                + "); unitguard does not follow links"), refused.reasons());
        assertEquals(List.of("job"), names(cron));
        assertEquals(List.of(), fx.systemd.calls);
        assertEquals(List.of(), service.history("app.service"));
    }

    @Test
    void hardening_dropInDirectoryIsAFile_refused() throws Exception {
        Files.writeString(units.resolve("app.service.d"), "not a directory\n");

        ApplyResult result = service.applyHardening(ApplyFixture.hardening(Map.of("ProtectSystem", "strict"), false),
                ALICE);

        assertEquals(List.of(units.resolve("app.service.d") + ": is not a directory"),
                assertInstanceOf(ApplyResult.Refused.class, result).reasons());
    }

    @Test
    void removeHardening_symlinkedDropInFile_refusedAndLinkTargetKept() throws Exception {
        Files.createDirectories(units.resolve("app.service.d"));
        Files.createSymbolicLink(fx.dropIn(), cron.resolve("job"));

        ApplyResult result = service.removeHardening("app.service", Activation.reloadOnly(), ALICE);

        assertInstanceOf(ApplyResult.Refused.class, result);
        assertTrue(Files.isSymbolicLink(fx.dropIn()));
        assertEquals("* * * * * root true\n", Files.readString(cron.resolve("job")));
    }

    @Test
    void unitFile_symlinkedUnitFile_removeAndReplaceRefusedAndHistoryHoldsNoTargetContent() throws Exception {
        Path link = units.resolve("web.service");
        Files.createSymbolicLink(link, fx.root.resolve("etc/shadow"));

        ApplyResult remove = service.unitFile(new UnitFileRequest("web.service", Optional.empty(),
                Activation.reloadOnly()), ALICE);
        ApplyResult replace = service.unitFile(new UnitFileRequest("web.service",
                Optional.of("[Service]\nExecStart=/usr/bin/true\n"), Activation.reloadOnly()), ALICE);

        String reason = link + ": is a symlink (to " + fx.root.resolve("etc/shadow")
                + "); unitguard does not follow links";
        assertEquals(List.of(reason), assertInstanceOf(ApplyResult.Refused.class, remove).reasons());
        assertEquals(List.of(reason), assertInstanceOf(ApplyResult.Refused.class, replace).reasons());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(SECRET, Files.readString(fx.root.resolve("etc/shadow")));
        assertEquals(List.of(), service.history("web.service"));
        try (Stream<Path> files = Files.walk(fx.state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains("secret-hash"), f + " holds the link target's content");
            }
        }
    }

    @Test
    void hardening_newDropIn_directory0755AndFile0644() throws Exception {
        ApplyResult result = service.applyHardening(ApplyFixture.hardening(Map.of("ProtectSystem", "strict"), false),
                ALICE);

        assertInstanceOf(ApplyResult.Applied.class, result);
        assertEquals("rwxr-xr-x", mode(fx.dropIn().getParent()));
        assertEquals("rw-r--r--", mode(fx.dropIn()));
    }

    @Test
    void write_underUmask077InAChildProcess_directory0755AndFile0644() throws Exception {
        Path base = Files.createDirectories(dir.resolve("units"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("/bin/sh", "-c", "umask 077 && exec \"$0\" -cp \"$1\" \"$2\" \"$3\"", java,
                System.getProperty("java.class.path"), NoFollowWritesTest.class.getName(), base.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);

        assertEquals("rwxr-xr-x", mode(base.resolve("x.service.d")));
        assertEquals("rw-r--r--", mode(base.resolve("x.service.d/50-unitguard.conf")));
        assertEquals("[Service]\nProtectSystem=strict\n", Files.readString(base.resolve("x.service.d/50-unitguard.conf")));
    }

    /** The child of {@link #write_underUmask077InAChildProcess_directory0755AndFile0644}: one drop-in write. */
    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]);
        new AtomicFiles(base, ChangeRunner.DIRECTORY_MODE, StepHook.NONE).write(
                base.resolve("x.service.d/50-unitguard.conf"), "[Service]\nProtectSystem=strict\n",
                ChangeRunner.FILE_MODE);
    }

    @Test
    void read_pathOutsideTheBase_refused() {
        AtomicFiles files = new AtomicFiles(units, ChangeRunner.DIRECTORY_MODE, StepHook.NONE);

        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> files.read(units.resolve("../../shadow")));
        assertEquals(units.resolve("../../shadow") + ": is not a file below " + units, e.getMessage());
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
