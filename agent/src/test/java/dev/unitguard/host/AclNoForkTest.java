package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check, a scoring and an apply start no {@code getfacl}: each runs in a JVM of its own whose search path starts
 * with a {@code getfacl} that records its call and fails. The check needs a file the service user may read only
 * through a named-user ACL entry, so it passes only when the ACL was read (in process).
 */
class AclNoForkTest {

    private static final String UNIT = """
            [Service]
            User=app
            ExecStart=/usr/bin/true
            ProtectSystem=strict
            """;
    private static final String MANIFEST = """
            { "user": "app", "paths": [ {"path": "/srv/app/secret.txt", "access": "r"} ] }
            """;

    @TempDir
    Path dir;
    private Path root;
    private Path calls;
    private Path stubs;

    @BeforeEach
    void host() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setfacl")), "setfacl is missing: install the acl package");
        root = dir.resolve("root");
        for (String d : List.of("etc", "proc", "sys", "dev", "run", "tmp", "var/tmp", "usr/bin", "root", "srv/app")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1500:1500::/:/bin/false\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1500:\n");
        Path bin = Files.writeString(root.resolve("usr/bin/true"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = Files.writeString(root.resolve("srv/app/secret.txt"), "s3cret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        ProcessResult.Exited setfacl = ProcessRunner.withTimeout(Duration.ofSeconds(60)).stderrToStdout()
                .run(List.of("/usr/bin/setfacl", "-m", "u:1500:r", secret.toString())).exited();
        assumeTrue(setfacl.succeeded(), "the file system keeps no POSIX ACLs: " + setfacl.stdout().text());
        calls = dir.resolve("getfacl-calls");
        stubs = Files.createDirectories(dir.resolve("stubs"));
        Path stub = Files.writeString(stubs.resolve("getfacl"), "#!/bin/sh\necho \"$@\" >> " + calls
                + "\necho 'getfacl must not run' >&2\nexit 1\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void check_secretReadableOnlyThroughAcl_passesWithoutGetfacl() throws IOException, InterruptedException {
        Path unit = Files.writeString(dir.resolve("app.service"), UNIT);
        Path manifest = Files.writeString(dir.resolve("app.requires.json"), MANIFEST);

        Ran check = java("dev.unitguard.cli.Main", "check", "--root", root.toString(), "--requires",
                manifest.toString(), unit.toString());

        assertEquals(0, check.status(), check.output());
        assertFalse(Files.exists(calls), "getfacl ran");
    }

    @Test
    void score_unitFile_noGetfacl() throws IOException, InterruptedException {
        Path unit = Files.writeString(dir.resolve("app.service"), UNIT);

        Ran score = java("dev.unitguard.cli.Main", "score", unit.toString());

        assertEquals(0, score.status(), score.output());
        assertFalse(Files.exists(calls), "getfacl ran");
    }

    @Test
    void apply_hardening_appliedWithoutGetfacl() throws IOException, InterruptedException {
        Ran apply = java("dev.unitguard.apply.ApplyOnce", dir.resolve("machine").toString());

        assertEquals("0 Applied", apply.status() + " " + apply.output().strip(), apply.output());
        assertFalse(Files.exists(calls), "getfacl ran");
    }

    private record Ran(int status, String output) {
    }

    /** Runs a main class of this build in a new JVM, with the stub directory first on its search path. */
    private Ran java(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("PATH", stubs + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        ProcessResult.Exited ran = ProcessRunner.withTimeout(Duration.ofSeconds(60)).environment(environment)
                .stderrToStdout().run(command).exited();
        return new Ran(ran.status(), ran.stdout().text());
    }
}
