package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitFileTest {

    private static final Path APP = Path.of("app.service");

    private static List<String> warnings(UnitFile f) {
        return f.warnings().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void parse_simpleFile_givesAssignmentsWithLines() throws Exception {
        UnitFile f = UnitFile.parse(APP, "[Unit]\nDescription = My app \n\n[Service]\nExecStart=/bin/app\n");
        assertEquals(List.of(
                new Assignment("Unit", "Description", "My app", new Location(APP, 2)),
                new Assignment("Service", "ExecStart", "/bin/app", new Location(APP, 5))), f.assignments());
        assertEquals(List.of(), f.warnings());
    }

    @Test
    void parse_continuation_joinsWithSpaceSkipsCommentsAndReportsLastLine() throws Exception {
        String text = "[Service]\nExecStart=/bin/app \\\n# a comment\n  --flag\\\n; another\n  --other\nUser=x\n";
        UnitFile f = UnitFile.parse(APP, text);
        assertEquals(new Assignment("Service", "ExecStart", "/bin/app    --flag   --other", new Location(APP, 6)),
                f.assignments().get(0));
        assertEquals("User", f.assignments().get(1).key());
        assertEquals(text, f.render());
    }

    @Test
    void parse_doubleBackslashAtEnd_isNotAContinuation() throws Exception {
        UnitFile f = UnitFile.parse(APP, "[Service]\nExecStart=/bin/echo a\\\\\nUser=x\n");
        assertEquals("/bin/echo a\\\\", f.assignments().get(0).value());
        assertEquals(2, f.assignments().size());
    }

    @Test
    void parse_continuationAtEndOfFile_reportedOnePastLastLine() throws Exception {
        UnitFile f = UnitFile.parse(APP, "[Unit]\nB1=a\\\n");
        assertEquals(List.of("app.service:3: Unknown key 'B1' in section [Unit], ignoring."), warnings(f));
    }

    @Test
    void parse_emptyAssignment_resetsList() throws Exception {
        UnitFile f = UnitFile.parse(APP, "[Service]\nReadWritePaths=/a\nReadWritePaths=\nReadWritePaths=/b /c\n");
        EffectiveUnit.Builder b = EffectiveUnit.builder("app.service");
        f.assignments().forEach(b::add);
        EffectiveUnit u = b.build();
        assertEquals(List.of("/b /c"), u.values("Service", "ReadWritePaths"));
        assertEquals(3, u.assignments("Service", "ReadWritePaths").size());
        assertEquals("", f.assignments().get(1).value());
    }

    @Test
    void parse_crlfAndLoneCr_areLineEnds() throws Exception {
        String text = "[Unit]\r\nBogus=1\rB2=1\r\r\nB3=2";
        UnitFile f = UnitFile.parse(APP, text);
        assertEquals(List.of(
                "app.service:2: Unknown key 'Bogus' in section [Unit], ignoring.",
                "app.service:3: Unknown key 'B2' in section [Unit], ignoring.",
                "app.service:5: Unknown key 'B3' in section [Unit], ignoring."), warnings(f));
        assertEquals(text, f.render());
    }

    @Test
    void parse_problems_warnedAsSystemd252Does() throws Exception {
        String text = "Foo=bar\n[Unit]\nNoEquals\n=nokey\nBogus=1\nX-Ok=1\n[Servce]\nA=b\n[X-Mine]\nB=c\n"
                + "[Service]\nUnknownKey = v\n[Socket]\nListenStream=1\n";
        UnitFile f = UnitFile.parse(APP, text);
        assertEquals(List.of(
                "app.service:1: Assignment outside of section. Ignoring.",
                "app.service:3: Missing '=', ignoring line.",
                "app.service:4: Missing key name before '=', ignoring line.",
                "app.service:5: Unknown key 'Bogus' in section [Unit], ignoring.",
                "app.service:7: Unknown section 'Servce'. Ignoring.",
                "app.service:12: Unknown key 'UnknownKey' in section [Service], ignoring.",
                "app.service:13: Unknown section 'Socket'. Ignoring."), warnings(f));
        assertEquals(List.of("X-Ok", "B"), f.assignments().stream().map(Assignment::key).toList());
    }

    @Test
    void parse_dropInName_typeFromDirectory() throws Exception {
        UnitFile f = UnitFile.parse(Path.of("/etc/systemd/system/app.socket.d/10-x.conf"), "[Socket]\nNope=1\n");
        assertEquals(List.of("/etc/systemd/system/app.socket.d/10-x.conf:2: Unknown key 'Nope' in section [Socket], ignoring."),
                warnings(f));
        assertEquals("service", UnitFile.typeOf(Path.of("/lib/systemd/system/service.d/10-x.conf")));
        assertEquals(null, UnitFile.typeOf(Path.of("notes.txt")));
    }

    @Test
    void parse_invalidSectionHeader_fails() {
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitFile.parse(APP, "[Unit]\n[Service\n"));
        assertEquals("app.service:2: invalid section header '[Service'", e.getMessage());
    }

    @Test
    void parse_lineTooLong_fails() {
        String text = "[Unit]\nDescription=" + "a".repeat(UnitFileParser.LONG_LINE_MAX) + "\n";
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitFile.parse(APP, text));
        assertEquals("app.service:2: line too long (1048576 bytes or more)", e.getMessage());
    }

    @Test
    void parse_lineJustUnderLimit_accepted() throws Exception {
        String text = "[Unit]\nDescription=" + "a".repeat(UnitFileParser.LONG_LINE_MAX - 13) + "\n";
        assertEquals(1, UnitFile.parse(APP, text).assignments().size());
    }

    @Test
    void read_missingFile_failsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("gone.service");
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitFile.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void read_directory_fails(@TempDir Path dir) {
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitFile.read(dir));
        assertEquals(dir + ": is a directory, not a regular file", e.getMessage());
    }

    @Test
    void read_notUtf8_failsNamingLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.service");
        Files.write(file, "[Unit]\nDescription=caf\u00e9\nBad=\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitFile.read(file));
        assertEquals(file + ":2: not valid UTF-8", e.getMessage());
    }

    @Test
    void read_bomAndNoFinalNewline_roundTrips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bom.service");
        String text = "\uFEFF[Unit]\nDescription=x";
        Files.writeString(file, text);
        UnitFile f = UnitFile.read(file);
        assertEquals(text, f.render());
        assertEquals(List.of("Description"), f.assignments().stream().map(Assignment::key).toList());
    }

    @Test
    void write_assignments_groupedBySection() throws Exception {
        Location loc = Location.synthetic("test");
        String text = UnitFile.write(List.of(new Assignment("Service", "ProtectSystem", "strict", loc),
                new Assignment("Service", "ReadWritePaths", "", loc), new Assignment("Unit", "After", "a.service", loc)));
        assertEquals("[Service]\nProtectSystem=strict\nReadWritePaths=\n\n[Unit]\nAfter=a.service\n", text);
        assertEquals(3, UnitFile.parse(Path.of("x.conf"), text).assignments().size());
    }

    @Test
    void write_valueEndingInBackslash_refused() {
        Location loc = Location.synthetic("test");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnitFile.write(List.of(new Assignment("Service", "Environment", "A=\\", loc))));
        assertEquals("value of Environment= ends with a backslash", e.getMessage());
    }

    @Test
    void parse_valueSystemdWouldIgnore_warnsInItsWordsAndKeepsTheLineForTheModels() throws Exception {
        // the line stays in the file's model: the sandbox and exposure models parse each value as the modelled
        // release does and ignore what it ignores (systemd 257 accepts values 252 ignores)
        UnitFile f = UnitFile.parse(APP, "[Service]\nProtectSystem=strict\nProtectSystem=banana\n"
                + "ReadWritePaths=/srv rel\n");
        assertEquals(List.of("app.service:3: Failed to parse protect system value, ignoring: banana",
                "app.service:4: ReadWritePaths= path is not absolute, ignoring: rel"), warnings(f));
        assertEquals(List.of("ProtectSystem=strict", "ProtectSystem=banana", "ReadWritePaths=/srv rel"),
                f.assignments().stream().map(a -> a.key() + "=" + a.value()).toList());
    }

    @Test
    void parse_valueInUnitSection_notCheckedAsSandboxSetting() throws Exception {
        UnitFile f = UnitFile.parse(APP, "[Unit]\nDescription=banana\n[Install]\nWantedBy=x\n");
        assertEquals(List.of(), f.warnings());
    }
}
