package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UnitFileRoundTripTest {

    private static final Path SYSTEM_UNITS = Path.of("/lib/systemd/system");
    /** The messages of systemd-analyze verify that come from the unit-file syntax, not from setting values. */
    private static final Pattern SYNTAX_WARNING = Pattern.compile(
            ": (Assignment outside of section|Missing '='|Missing key name|Unknown key|Unknown section)");

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @Test
    void render_everyServiceSocketTimerOnThisMachine_reproducesBytes() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SYSTEM_UNITS)) {
            files = walk.filter(p -> p.toString().matches(".*\\.(service|socket|timer)$"))
                    .filter(Files::isRegularFile).toList();
        }
        assertTrue(files.size() > 10, "expected the machine's unit files under " + SYSTEM_UNITS + ", found " + files.size());
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            UnitFile parsed = UnitFile.read(file);
            assertArrayEquals(bytes, parsed.render().getBytes(StandardCharsets.UTF_8), file.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void render_randomFile_reproducesText(long seed) throws Exception {
        String text = RandomUnitText.generate(seed);
        assertEquals(text, UnitFile.parse(Path.of("r.service"), text).render());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void warnings_randomFile_matchSystemdAnalyzeVerify(long seed, @TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze not installed");
        String text = RandomUnitText.generate(seed);
        Path file = dir.resolve("r" + seed + ".service");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        List<String> systemd = new ArrayList<>();
        int parsedUpTo = systemdWarnings(file, systemd);
        List<String> ours = UnitFile.read(file).warnings().stream()
                .filter(d -> d.location().line() <= parsedUpTo).map(Diagnostic::toString)
                .filter(w -> SYNTAX_WARNING.matcher(w).find()).toList(); // values: DirectiveValuesIT
        assertEquals(systemd, ours, () -> "seed " + seed + ":\n" + text);
    }

    /**
     * Collects systemd's syntax warnings for {@code file}; returns the last line systemd parsed: a setting value
     * that is a fatal error (a bad ExecStart=, say) stops systemd's parser there.
     */
    private static int systemdWarnings(Path file, List<String> result) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", file.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor();
        int lastLine = 0;
        for (String line : lines) {
            if (line.startsWith(file + ":")) {
                String rest = line.substring(file.toString().length() + 1);
                lastLine = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
                if (SYNTAX_WARNING.matcher(line).find()) {
                    result.add(line);
                }
            }
        }
        boolean fatal = lines.stream().anyMatch(l -> l.contains("Unit configuration has fatal error"));
        return fatal ? lastLine : Integer.MAX_VALUE;
    }
}
