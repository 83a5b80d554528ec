package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.host.Access;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paths a unit file itself names, read from a root made for the test. */
class UnitNeedsTest {

    @TempDir
    Path root;

    @Test
    void add_unitFile_programsInterpreterConfigDirectoriesAndPidFile() throws Exception {
        write("usr/bin/app", "#!/bin/sh\nexec sleep 1\n");
        write("etc/app/app.conf", "x\n");
        write("etc/default/app", "A=1\n");
        Files.createDirectories(root.resolve("srv/data"));
        write("etc/systemd/system/app.service", """
                [Service]
                EnvironmentFile=-/etc/default/app
                EnvironmentFile=-/etc/default/missing
                ExecStartPre=/usr/bin/app --check --config=/etc/app/app.conf
                ExecStart=/usr/bin/app /etc/app/app.conf /etc/app/missing.conf $OPTS relative
                StateDirectory=%p
                RuntimeDirectory=app
                ConfigurationDirectory=app
                ReadWritePaths=-/srv/data -/srv/missing
                WorkingDirectory=-/srv/data
                PIDFile=/run/app/app.pid
                """);
        Needs needs = new Needs();

        UnitNeeds.add(UnitLoader.forRoot(root).load("app.service"), HostView.of(root), needs);

        List<String> got = needs.requirements(Optional.empty(), Optional.empty()).paths().stream()
                .map(UnitNeedsTest::line).toList();
        assertEquals(List.of(
                "/bin/sh x interpreter of /usr/bin/app (ExecStartPre=); interpreter of /usr/bin/app (ExecStart=)",
                "/etc/app rx ConfigurationDirectory=app",
                "/etc/app/app.conf r named on the ExecStartPre= command line; named on the ExecStart= command line",
                "/etc/default/app r EnvironmentFile= (read by systemd as the service starts)",
                "/run/app rwx RuntimeDirectory=app",
                "/run/app/app.pid rw PIDFile= (written by the service)",
                "/srv/data rwx ReadWritePaths= (the unit's author says the service writes here); WorkingDirectory=",
                "/usr/bin/app rx ExecStartPre= program; ExecStart= program",
                "/var/lib/app rwx StateDirectory=app"), got);
    }

    private static String line(PathRequirement p) {
        return p.path() + " " + Access.format(p.access()) + " " + p.learned().orElse("");
    }

    private void write(String path, String content) throws Exception {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
