package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.ExecCommand;
import dev.unitguard.unit.UnitLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace drop-in read back by the project's own unit loader, and the bounded reading of the trace. */
class TraceDropInTest {

    @TempDir
    Path root;

    private EffectiveUnit load() throws Exception {
        return UnitLoader.forRoot(root).load("app.service");
    }

    private void write(String path, String text) throws Exception {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), text);
    }

    @Test
    void text_readBack_everyCommandBehindStraceWithItsPrefixesAndWordsKept() throws Exception {
        write("etc/systemd/system/app.service", """
                [Service]
                ExecStartPre=-/usr/bin/app --check "a b" 'c"d' back\\\\slash
                ExecStartPre=+/bin/chown app /run/app
                ExecStart=/usr/bin/app -D $OPTS ${MORE} %n
                """);
        Path dir = Path.of("/run/unitguard/learn/trace-app-0011");
        EffectiveUnit unit = load();
        List<ExecCommand> before = commands(unit);

        write("run/systemd/system/app.service.d/" + TraceDropIn.NAME, TraceDropIn.text(unit, dir, false));
        EffectiveUnit traced = load();

        List<ExecCommand> after = commands(traced);
        assertEquals(before.size(), after.size());
        List<String> outputs = TraceDropIn.commands(unit).stream().map(TraceDropIn.Command::output).toList();
        assertEquals(List.of("ExecStartPre-0", "ExecStartPre-1", "ExecStart-0"), outputs);
        for (int i = 0; i < before.size(); i++) {
            List<String> expected = new ArrayList<>(List.of(TraceDropIn.STRACE, "-D", "-f", "-qq", "-s", "0", "-e",
                    "signal=none", "-o", dir.resolve(outputs.get(i)).toString(), "--"));
            expected.addAll(before.get(i).argv());
            assertEquals(expected, after.get(i).argv());
            assertEquals(before.get(i).prefixes(), after.get(i).prefixes());
        }
        assertTrue(TraceDropIn.commands(unit).get(1).privileged());
        assertEquals(List.of(dir.toString()), traced.words("Service", "ReadWritePaths"));
        assertEquals(List.of(), traced.values("Service", "CapabilityBoundingSet"), "no capability added");
    }

    /** Under Yama's ptrace_scope 2 the tracer needs CAP_SYS_PTRACE: OR-ed into whatever set the unit's lines made. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"CAP_NET_BIND_SERVICE CAP_SETUID", "~CAP_SYS_PTRACE",
            "", "CAP_SYS_PTRACE"})
    void text_grantPtrace_boundingSetKeepsWhatTheUnitHadPlusSysPtrace(String set) throws Exception {
        write("etc/systemd/system/app.service", "[Service]\nCapabilityBoundingSet=" + set
                + "\nExecStart=/usr/bin/app\n");
        EffectiveUnit unit = load();
        long before = dev.unitguard.unit.CapabilitySet.of(unit, "CapabilityBoundingSet",
                dev.unitguard.unit.CapabilitySet.ALL);

        write("run/systemd/system/app.service.d/" + TraceDropIn.NAME, TraceDropIn.text(unit, Path.of("/run/t"),
                true));

        long after = dev.unitguard.unit.CapabilitySet.of(load(), "CapabilityBoundingSet",
                dev.unitguard.unit.CapabilitySet.ALL);
        long ptrace = dev.unitguard.unit.CapabilitySet.bit("CAP_SYS_PTRACE");
        assertEquals(before | ptrace, after, set);
    }

    @Test
    void commands_separateArgv0_refusedNamingTheLine() throws Exception {
        write("etc/systemd/system/app.service", "[Service]\nExecStart=@/usr/bin/app app-name -v\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceDropIn.commands(load()));
        assertEquals("ExecStart=@/usr/bin/app app-name -v: a command with a separate argv[0] (@) cannot run under "
                + "strace", e.getMessage());
    }

    private static List<ExecCommand> commands(EffectiveUnit unit) {
        List<ExecCommand> out = new ArrayList<>();
        for (String key : TraceDropIn.KEYS) {
            unit.values("Service", key).forEach(v -> out.addAll(ExecCommand.parseAll(v)));
        }
        return out;
    }

    @Test
    void read_onlyPlainFilesNoLinksLongLinesSkipped_andTheDirectoryMustBeRootsAlone() throws Exception {
        Path dir = Files.createDirectory(root.resolve("trace"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(root.resolve("secret"), "1   openat(AT_FDCWD, \"/etc/shadow\", O_RDONLY) = 3\n");
        Files.createSymbolicLink(dir.resolve("ExecStart-0"), root.resolve("secret"));
        Files.writeString(dir.resolve("ExecStartPre-0"), "x".repeat(StraceCall.MAX_LINE + 10) + "\n1   getpid() = 1\n");
        List<String> lines = new ArrayList<>();

        Tracer.read(dir, List.of("ExecStartPre-0", "ExecStart-0", "ExecStartPost-0"), lines::add);

        assertEquals(List.of("1   getpid() = 1"), lines);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThrows(java.io.IOException.class, () -> Tracer.read(dir, List.of("ExecStartPre-0"), lines::add));
    }

    @Test
    void lines_boundedByTheLimit() throws Exception {
        List<String> lines = new ArrayList<>();
        long read = Tracer.lines(new ByteArrayInputStream("a\nbb\nccc\n".getBytes(StandardCharsets.UTF_8)), 5,
                lines::add);
        assertEquals(5, read);
        assertEquals(List.of("a", "bb"), lines);
    }
}
