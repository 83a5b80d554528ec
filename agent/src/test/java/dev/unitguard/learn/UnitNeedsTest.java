package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.host.Access;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        write("run/app/app.pid", "812\n");
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

    @Test
    void add_pidFileTheServiceDidNotWrite_isNoNeed() throws Exception {
        write("usr/bin/app", "#!/bin/sh\nexec sleep 1\n");
        write("etc/systemd/system/app.service", "[Service]\nExecStart=/usr/bin/app\nPIDFile=/run/app/app.pid\n");
        Needs needs = new Needs();

        UnitNeeds.add(UnitLoader.forRoot(root).load("app.service"), HostView.of(root), needs);

        assertEquals(List.of("/bin/sh", "/usr/bin/app"), needs.requirements(Optional.empty(), Optional.empty())
                .paths().stream().map(PathRequirement::path).toList());
    }

    @Test
    void switchedUser_rootUnitSeenAsAnotherUser_needsSetuidAndSetgid() throws Exception {
        assertEquals(Optional.of(Set.of("CAP_SETGID", "CAP_SETUID")), switched("", "memcache", Set.of()));
        assertEquals(Optional.of(Set.of("CAP_NET_BIND_SERVICE", "CAP_SETGID", "CAP_SETUID")),
                switched("User=root\n", "www-data", Set.of("CAP_NET_BIND_SERVICE")));
    }

    @Test
    void switchedUser_unitNamesTheUserOrSeenAsRoot_addsNothing() throws Exception {
        assertEquals(Optional.of(Set.of()), switched("User=redis\n", "redis", Set.of()));
        assertEquals(Optional.of(Set.of()), switched("DynamicUser=yes\n", "app", Set.of()));
        assertEquals(Optional.of(Set.of("CAP_CHOWN")), switched("", "root", Set.of("CAP_CHOWN")));
        assertEquals(Optional.empty(), switched("", "memcache", null));
    }

    @Test
    void switchedUser_chownOnTheCommandLine_argumentWritableAndCapChown() throws Exception {
        Files.createDirectories(root.resolve("var/log/app"));
        write("etc/systemd/system/app.service", "[Service]\nExecStartPre=/bin/chown app /var/log/app\n"
                + "ExecStart=/usr/bin/app\n");
        Requirements seen = new Requirements(Optional.of("app"), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.of(Set.of()));
        Needs needs = new Needs();
        needs.addAll(seen);
        var unit = UnitLoader.forRoot(root).load("app.service");

        UnitNeeds.add(unit, HostView.of(root), needs);
        UnitNeeds.switchedUser(unit, seen, needs);

        Requirements got = needs.requirements(Optional.empty(), Optional.empty());
        assertEquals(List.of("/bin/chown x ExecStartPre= program", "/usr/bin/app x ExecStart= program",
                "/var/log/app rwx changed by chown on the ExecStartPre= command line"),
                got.paths().stream().map(UnitNeedsTest::line).toList());
        assertEquals(Optional.of(Set.of("CAP_CHOWN", "CAP_SETGID", "CAP_SETUID")),
                got.capabilities().map(java.util.TreeSet::new));
    }

    /** The capabilities learned for a unit with {@code service} lines, seen running as {@code user}. */
    private Optional<Set<String>> switched(String service, String user, Set<String> held) throws Exception {
        write("etc/systemd/system/app.service", "[Service]\nExecStart=/bin/true\n" + service);
        Requirements seen = new Requirements(Optional.of(user), Optional.empty(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.ofNullable(held));
        Needs needs = new Needs();
        needs.addAll(seen);

        UnitNeeds.switchedUser(UnitLoader.forRoot(root).load("app.service"), seen, needs);

        return needs.requirements(seen.user(), Optional.empty()).capabilities().map(java.util.TreeSet::new);
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
