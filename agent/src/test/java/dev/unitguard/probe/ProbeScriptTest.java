package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe script run by this machine's /bin/sh (outside any sandbox): its lines, and that it changes nothing. */
class ProbeScriptTest {

    @TempDir
    Path dir;

    @Test
    void text_existingMissingAndDevice_oneLinePerItemThenEnd() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "keep\n");
        Files.createDirectory(dir.resolve("d"));
        ProbeScript script = ProbeScript.of(new Requirements(Optional.empty(), Optional.empty(), List.of(
                need("f.txt", "rw"), need("d", "rwx"), need("new's $HOME.db", "rw"), need("missing/x", "r"),
                need("f.txt", "x")), List.of("/dev/null")));

        List<String> lines = sh(script.text()); // raw: dash says "No such file", parse() maps it

        assertEquals(List.of("UGPROBE 0 ok", "UGPROBE 1 ok", "UGPROBE 2 ok",
                "UGPROBE 3 fail r: No such file", "UGPROBE 4 fail x: Permission denied", "UGPROBE 5 ok",
                "UGPROBE end"), lines);
        assertEquals("keep\n", Files.readString(dir.resolve("f.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("d", "f.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (var files = Files.list(dir.resolve("d"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void execArgument_dollarsDoubledForSystemdsExpansion() {
        ProbeScript script = ProbeScript.of(new Requirements(Optional.empty(), Optional.empty(),
                List.of(new PathRequirement("/srv/$x", Access.parse("r"), false)), List.of()));

        assertTrue(script.execArgument().contains("ugr '/srv/$$x'"), script.execArgument());
        assertEquals(script.text(), script.execArgument().replace("$$", "$"));
    }

    @Test
    void parse_lines_okFailOrNotOurs() {
        assertEquals(Optional.of(new ProbeScript.Line(3, true, null)), ProbeScript.parse("UGPROBE 3 ok"));
        assertEquals(Optional.of(new ProbeScript.Line(0, false, "w: Read-only file system")),
                ProbeScript.parse("UGPROBE 0 fail w: Read-only file system"));
        assertEquals(Optional.of(new ProbeScript.Line(1, false, "w: No such file or directory")),
                ProbeScript.parse("UGPROBE 1 fail w: Directory nonexistent"));
        assertEquals(Optional.empty(), ProbeScript.parse("UGPROBE end"));
        assertEquals(Optional.empty(), ProbeScript.parse("app.service: Main process exited, code=exited"));
    }

    @Test
    void explanation_failedStart_firstSystemdLineAfterStarted() {
        assertEquals(Optional.of("x.service: Failed to set up mount namespacing: /run/systemd/unit-root/a: No such"
                + " file or directory"), ProbeOutcome.explanation(List.of("Started x.service - probe.",
                "x.service: Failed to set up mount namespacing: /run/systemd/unit-root/a: No such file or directory",
                "x.service: Failed at step NAMESPACE spawning /bin/sh: No such file or directory",
                "x.service: Main process exited, code=exited, status=226/NAMESPACE")));
    }

    private PathRequirement need(String relative, String access) {
        return new PathRequirement(dir.resolve(relative).toString(), Access.parse(access), false);
    }

    private static List<String> sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().toList();
    }
}
