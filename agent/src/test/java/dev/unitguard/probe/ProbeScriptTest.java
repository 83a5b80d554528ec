package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.SocketNeed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    void text_xOfAFile_alsoTestsTheInterpretersTheKernelLoads() throws Exception {
        executable("run.sh", "#!/bin/sh\necho\n");
        executable("orphan.sh", "#!" + dir.resolve("gone") + "\n");
        Files.writeString(dir.resolve("data.txt"), "not a program\n");
        executable("lazy.sh", "#!" + dir.resolve("data.txt") + " -x\n");
        ProbeScript script = ProbeScript.of(new Requirements(Optional.empty(), Optional.empty(), List.of(
                need("run.sh", "x"), need("orphan.sh", "rx"), need("lazy.sh", "x"), need("run.sh", "r")),
                List.of()), HostView.of(Path.of("/")), List.of());

        List<String> lines = sh(script.text());

        assertEquals(List.of("UGPROBE 0 ok",
                "UGPROBE 1 fail x: No such file or directory (its interpreter " + dir.resolve("gone") + " is missing)",
                "UGPROBE 2 fail x: Permission denied (its interpreter " + dir.resolve("data.txt")
                        + " is not executable)", "UGPROBE 3 ok", "UGPROBE end"), lines);
    }

    @Test
    void ugnoexec_theProbesOwnExecBindsLeftOut_theMountBeneathDecides() throws Exception {
        Path mountInfo = dir.resolve("mountinfo");
        Files.writeString(mountInfo, """
                21 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
                30 21 8:1 /ugt /ugt ro,nosuid,noexec,relatime - ext4 /dev/sda1 rw
                31 30 8:1 /ugt/lib /ugt/lib rw,relatime - ext4 /dev/sda1 rw
                32 30 8:1 /ugt/bin/sh /ugt/bin/sh rw,relatime - ext4 /dev/sda1 rw
                33 31 8:1 /ugt/lib/ld.so /ugt/lib/ld.so rw,relatime - ext4 /dev/sda1 rw
                34 31 8:1 /ugt/lib/ld.so /ugt/lib/ld.so rw,noexec - ext4 /dev/sda1 rw
                """);
        ProbeScript script = ProbeScript.of(Requirements.none(), HostView.of(dir), List.of("/ugt/bin/sh"));
        String run = script.text().replace("UGMI=/proc/self/mountinfo", "UGMI=" + mountInfo) + """
                for p in /ugt/bin/sh /ugt/bin/other /ugt/lib/ld.so /ugt/lib/libc.so /ugtx/a /etc/passwd; do
                  if ugnoexec $p; then echo "$p noexec"; else echo "$p exec"; fi
                done
                """;

        assertEquals(List.of("UGPROBE end", "/ugt/bin/sh noexec", "/ugt/bin/other noexec", "/ugt/lib/ld.so noexec",
                "/ugt/lib/libc.so exec", "/ugtx/a exec", "/etc/passwd exec"), sh(run));
    }

    @Test
    void text_networkNeedsStated_reportsTheNamespaceAndDevices() throws Exception {
        ProbeScript script = ProbeScript.of(new Requirements(Optional.empty(), Optional.empty(), List.of(), List.of(),
                Optional.of(new NetworkNeeds(List.of(SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 80)),
                        List.of(), Set.of())), Optional.empty(), Optional.empty()), HostView.of(dir), List.of());

        List<String> lines = sh(script.text());

        assertEquals(Optional.of(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString()),
                ProbeScript.reported(lines, ProbeNetwork.NAMESPACE), lines.toString());
        assertTrue(ProbeScript.reported(lines, ProbeNetwork.DEVICES).orElseThrow().matches("(.* )?lo( .*)?"),
                lines.toString());
        assertEquals(List.of("UGPROBE end"), sh(ProbeScript.of(Requirements.none(), HostView.of(dir), List.of())
                .text()));
    }

    @Test
    void mountInfoEscaped_asTheKernelWritesMountPoints() {
        assertEquals("/srv/my\\040dir/a\\134b\\011c", ProbeScript.mountInfoEscaped("/srv/my dir/a\\b\tc"));
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

    private void executable(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
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
