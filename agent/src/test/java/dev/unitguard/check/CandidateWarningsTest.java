package dev.unitguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.host.HostView;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warnings for candidate directives that change nothing or loosen the unit. */
class CandidateWarningsTest {

    @TempDir
    Path root;

    private List<String> warnings(String service, String... set) throws Exception {
        Path dir = Files.createDirectories(root.resolve("etc/systemd/system"));
        Path file = Files.writeString(dir.resolve("app.service"), "[Service]\nExecStart=/usr/bin/true\n" + service);
        EffectiveUnit unit = UnitLoader.forRoot(root).loadFile(file);
        List<DropInDirectives.Directive> directives = new ArrayList<>();
        for (String kv : set) {
            directives.add(new DropInDirectives.Directive(kv.substring(0, kv.indexOf('=')),
                    kv.substring(kv.indexOf('=') + 1)));
        }
        return CandidateWarnings.prepend(HostView.of(root), unit,
                DropInDirectives.parse(Path.of("--set"), "service", directives), List.of("kept"));
    }

    @Test
    void alreadyTheDefault_noEffect() throws Exception {
        assertEquals(List.of("PrivateTmp=no has no effect: PrivateTmp= is already no (systemd's default)", "kept"),
                warnings("", "PrivateTmp=no"));
        assertEquals(List.of("ProtectSystem=false has no effect: ProtectSystem= is already no (systemd's default)",
                "kept"), warnings("", "ProtectSystem=false"));
    }

    @Test
    void alreadyInForce_noEffectNamingWhere() throws Exception {
        String file = root.resolve("etc/systemd/system/app.service").toString();
        assertEquals(List.of("NoNewPrivileges=true has no effect: NoNewPrivileges= is already yes (" + file + ":3)",
                "kept"), warnings("NoNewPrivileges=yes\n", "NoNewPrivileges=true"));
    }

    @Test
    void turnedOnWithoutOne_noWarning() throws Exception {
        assertEquals(List.of("kept"), warnings("", "PrivateTmp=yes", "ProtectSystem=strict", "ProtectHome=read-only"));
    }

    @Test
    void loosening_namesTheCheckBeforeAndAfter() throws Exception {
        String file = root.resolve("etc/systemd/system/app.service").toString();
        List<String> w = warnings("ProtectSystem=strict\n", "ProtectSystem=no");
        assertEquals(2, w.size(), w.toString());
        assertEquals("ProtectSystem=no loosens the unit: it would replace ProtectSystem=strict (" + file + ":3); "
                + "ProtectSystem= \"Service has strict read-only access to the OS file hierarchy\" becomes \"Service "
                + "has full access to the OS file hierarchy\"", w.get(0).replaceFirst(" \\(exposure .*", ""));
    }

    @Test
    void dynamicUser_forcedSettingsCannotBeTurnedOff() throws Exception {
        assertEquals(List.of("PrivateTmp=no has no effect: it would turn PrivateTmp= off, but DynamicUser=yes implies "
                + "PrivateTmp= and it cannot be turned off", "kept"), warnings("DynamicUser=yes\n", "PrivateTmp=no"));
    }

    @Test
    void readWritePaths_nothingReadOnly_noEffect_underProtectSystemNone() throws Exception {
        Files.createDirectories(root.resolve("srv/data"));
        assertEquals(List.of("ReadWritePaths=/srv/data has no effect: it would make /srv/data writable, but nothing "
                + "in the unit makes it read-only (ProtectSystem=, ProtectHome=read-only, ReadOnlyPaths=), so no "
                + "access changes; a missing /srv/data still fails the start with 226/NAMESPACE (write -/srv/data to "
                + "skip it)", "kept"), warnings("", "ReadWritePaths=/srv/data"));
        assertEquals(List.of("kept"), warnings("ProtectSystem=strict\n", "ReadWritePaths=/srv/data"));
        assertEquals(List.of("kept"), warnings("ReadOnlyPaths=/srv\n", "ReadWritePaths=/srv/data"));
        assertEquals(List.of("kept"), warnings("DynamicUser=yes\n", "ReadWritePaths=/srv/data"));
        assertEquals(List.of("kept"), warnings("ProtectSystem=full\n", "ReadWritePaths=/etc/app"));
    }

    @Test
    void dashPathMissing_skippedBySystemd() throws Exception {
        assertEquals(List.of("InaccessiblePaths=-/nonexistent has no effect: /nonexistent does not exist under the "
                + "root and \"-\" makes systemd skip it", "kept"), warnings("", "InaccessiblePaths=-/nonexistent"));
        Files.createDirectories(root.resolve("secret"));
        assertEquals(List.of("kept"), warnings("", "InaccessiblePaths=-/secret"));
    }
}
