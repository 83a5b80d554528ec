package dev.unitguard.probe;

import dev.unitguard.sandbox.ExecInterpreter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.host.HostView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeExecAllowanceTest {

    @TempDir
    Path root;

    @Test
    void of_noExecPaths_allowsTheProgramsTheirLoaderAndItsDirectory() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("usr/lib/triplet"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.writeString(root.resolve("usr/lib/triplet/ld.so"), "");
        Files.createSymbolicLink(root.resolve("usr/lib/ld-link.so"), Path.of("triplet/ld.so"));
        for (String p : List.of("dash", "test", "realpath", "rm")) {
            Files.writeString(root.resolve("usr/bin/" + p), "#!/usr/lib/ld-link.so\n");
        }
        Files.createSymbolicLink(root.resolve("usr/bin/sh"), Path.of("dash"));
        HostView host = HostView.of(root, Map.of());

        List<String> paths = ProbeExecAllowance.of(ProbePropertiesTest.unit("NoExecPaths=/",
                "ExecPaths=/usr/bin/redis-server /usr/lib"), host);

        assertEquals(List.of("/usr/bin/dash", "/usr/lib/triplet/ld.so", "/usr/lib/triplet", "/usr/bin/test",
                "/usr/bin/realpath", "/usr/bin/rm"), paths);
        assertEquals(List.of(), ProbeExecAllowance.of(ProbePropertiesTest.unit("ExecPaths=/usr/bin"), host));
        assertEquals(List.of(), ProbeExecAllowance.of(ProbePropertiesTest.unit("NoExecPaths=/", "NoExecPaths="), host));
    }

    @Test
    void own_pathsTheUnitAlsoAllows_areTheUnitsMounts() throws Exception {
        Files.createDirectories(root.resolve("usr/lib/triplet"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        HostView host = HostView.of(root, Map.of());

        assertEquals(List.of("/usr/bin/dash", "/usr/lib/triplet/ld.so"), ProbeExecAllowance.own(
                ProbePropertiesTest.unit("NoExecPaths=/", "ExecPaths=-/lib/triplet /usr/bin/redis-server"), host,
                List.of("/usr/bin/dash", "/usr/lib/triplet/ld.so", "/usr/lib/triplet")));
    }

    @Test
    void chain_scriptThenItsInterpreterThenTheLoader_eachAsTheHostHasIt() throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("srv"));
        Files.writeString(root.resolve("usr/bin/ld.so"), "");
        Files.writeString(root.resolve("usr/bin/perl"), "#!/usr/bin/ld.so\n");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.writeString(root.resolve("srv/run.pl"), "#!/bin/perl -w\n");
        Files.writeString(root.resolve("srv/orphan.sh"), "#!/gone/sh\n");
        HostView host = HostView.of(root, Map.of());

        assertEquals(List.of(new ExecInterpreter.Link("/bin/perl", "/usr/bin/perl"),
                new ExecInterpreter.Link("/usr/bin/ld.so", "/usr/bin/ld.so")),
                ExecInterpreter.chain(host, "/srv/run.pl"));
        assertEquals(List.of(new ExecInterpreter.Link("/gone/sh", "/gone/sh")),
                ExecInterpreter.chain(host, "/srv/orphan.sh"));
        assertEquals(List.of(), ExecInterpreter.chain(host, "/srv"));
        assertEquals(List.of(), ExecInterpreter.chain(host, "/usr/bin/ld.so"));
    }
}
