package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Location;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbePropertiesTest {

    @Test
    void of_sandboxDirectives_convertedToBusTypes() throws Exception {
        EffectiveUnit unit = unit("User=app", "ProtectSystem=true", "ProtectHome=read-only", "PrivateTmp=on",
                "ReadWritePaths=-/var/lib/app \"/srv/with space\"", "ReadWritePaths=/run/app",
                "BindPaths=/a:/b:norbind -/c", "TemporaryFileSystem=/srv:ro /opt", "DeviceAllow=/dev/ttyUSB0 rw",
                "StateDirectory=app", "StateDirectoryMode=0750", "LoadCredential=key:/etc/key",
                "SystemCallFilter=@system-service");

        List<TransientProperty> properties = ProbeProperties.of(unit);

        assertEquals(List.of(
                new TransientProperty("User", "s", "app"),
                new TransientProperty("ProtectSystem", "s", "yes"),
                new TransientProperty("ProtectHome", "s", "read-only"),
                new TransientProperty("PrivateTmp", "b", true),
                new TransientProperty("ReadWritePaths", "as", List.of("-/var/lib/app", "/srv/with space", "/run/app")),
                new TransientProperty("BindPaths", "a(ssbt)", List.of(new TransientProperty.Bind("/a", "/b", false,
                        false), new TransientProperty.Bind("/c", "/c", true, true))),
                new TransientProperty("TemporaryFileSystem", "a(ss)", List.of(
                        new TransientProperty.Pair("/srv", "ro"), new TransientProperty.Pair("/opt", ""))),
                new TransientProperty("DeviceAllow", "a(ss)", List.of(
                        new TransientProperty.Pair("/dev/ttyUSB0", "rw"))),
                new TransientProperty("LoadCredential", "a(ss)", List.of(new TransientProperty.Pair("key", "/etc/key")))),
                properties);
    }

    @Test
    void of_resetAndInvalidValues_followSystemdsParsing() throws Exception {
        EffectiveUnit unit = unit("PrivateDevices=yes", "PrivateDevices=maybe", "ProtectKernelTunables=yes",
                "ProtectKernelTunables=", "ReadOnlyPaths=/a", "ReadOnlyPaths=", "ReadOnlyPaths=/b");

        assertEquals(List.of(new TransientProperty("PrivateDevices", "b", true),
                new TransientProperty("ReadOnlyPaths", "as", List.of("/b"))), ProbeProperties.of(unit));
    }

    @Test
    void of_rootImage_refusedNamingDirectiveAndLine() {
        EffectiveUnit unit = unit("ProtectSystem=strict", "RootImage=/var/lib/machines/app.raw");

        ProbeException e = assertThrows(ProbeException.class, () -> ProbeProperties.of(unit));

        assertEquals("app.service: RootImage=/var/lib/machines/app.raw (app.service:3): the probe cannot pass this "
                + "directive to a transient unit", e.getMessage());
    }

    static EffectiveUnit unit(String... lines) {
        EffectiveUnit.Builder builder = EffectiveUnit.builder("app.service");
        int line = 1;
        for (String l : lines) {
            int eq = l.indexOf('=');
            builder.add(new Assignment("Service", l.substring(0, eq), l.substring(eq + 1),
                    new Location(Path.of("app.service"), ++line)));
        }
        return builder.build();
    }

    @Test
    void of_settingsThatActOnTheHost_neverPassed() throws Exception {
        EffectiveUnit unit = unit("User=app", "ProtectSystem=strict", "RuntimeDirectory=app", "RuntimeDirectoryMode=0700",
                "RuntimeDirectoryPreserve=yes", "StateDirectory=app", "StateDirectoryMode=0700", "CacheDirectory=app",
                "LogsDirectory=app", "ConfigurationDirectory=app", "PIDFile=/run/app/app.pid", "Sockets=app.socket",
                "ExecStop=/bin/kill $MAINPID", "ExecStopPost=/bin/rm -f /run/app/x", "ExecReload=/bin/kill -HUP 1",
                "OnFailure=alert.service", "OnSuccess=done.service", "RemoveIPC=yes", "Slice=app.slice",
                "KillMode=none", "ReadWritePaths=/srv/app");

        assertEquals(List.of("User", "ProtectSystem", "ReadWritePaths"),
                ProbeProperties.of(unit).stream().map(TransientProperty::name).toList());
    }

    @Test
    void forHealthCheck_credentialsLeftOut() throws Exception {
        EffectiveUnit unit = unit("User=app", "ProtectSystem=strict", "RuntimeDirectory=app",
                "LoadCredential=key:/etc/key", "ReadWritePaths=/srv/app");

        assertEquals(List.of(new TransientProperty("User", "s", "app"),
                new TransientProperty("ProtectSystem", "s", "strict"),
                new TransientProperty("ReadWritePaths", "as", List.of("/srv/app"))),
                ProbeProperties.forHealthCheck(unit));
        assertEquals(List.of("User", "ProtectSystem", "ReadWritePaths", "LoadCredential"),
                ProbeProperties.of(unit).stream().map(TransientProperty::name).toList(), "the probe keeps it");
    }
}
