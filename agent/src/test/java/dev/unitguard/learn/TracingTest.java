package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Yama's {@code ptrace_scope} makes of a trace, decided before the unit is touched: the lab's kernel has no Yama
 * and a container cannot set it, so the decision is tested here (docs/security.md, "Mode trace").
 */
class TracingTest {

    @TempDir
    Path root;

    private EffectiveUnit unit() throws Exception {
        return unit("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n");
    }

    private EffectiveUnit unit(String settings) throws Exception {
        Path strace = root.resolve("usr/bin/strace");
        Files.createDirectories(strace.getParent());
        Files.writeString(strace, "");
        Files.setPosixFilePermissions(strace, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = root.resolve("etc/systemd/system/app.service");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[Service]\n" + settings + "ExecStart=/usr/bin/app\n");
        return UnitLoader.forRoot(root).load("app.service");
    }

    private void scope(String value) throws Exception {
        Path file = root.resolve(Tracing.PTRACE_SCOPE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + "\n");
    }

    /** Scopes 0 to 2 (and an unreadable one) allow a trace; the capability is added where the bounding set lacks it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 | CapabilityBoundingSet=CAP_NET_BIND_SERVICE | true",
        "1 | CapabilityBoundingSet=~CAP_SYS_PTRACE      | true",
        "2 | CapabilityBoundingSet=CAP_SETUID           | true",
        "2 |                                            | false",
        "2 | CapabilityBoundingSet=CAP_SYS_PTRACE CAP_SETUID | false",
        "garbage | CapabilityBoundingSet=                | true",
        "none    |                                       | false"})
    void check_boundingSetWithoutSysPtrace_capabilityAdded(String scope, String settings, boolean grant)
            throws Exception {
        EffectiveUnit unit = unit(settings == null ? "" : settings + "\n");
        if (!scope.equals("none")) {
            scope(scope);
        }
        assertEquals(grant, Tracing.check(unit, root), scope + " " + settings);
    }

    @Test
    void check_ptraceScope3_refusedAsUnsupportedBeforeTheUnitIsTouched() throws Exception {
        EffectiveUnit unit = unit();
        scope("3");
        LearnException e = assertThrows(LearnException.class, () -> Tracing.check(unit, root));
        assertEquals(LearnException.Reason.UNSUPPORTED, e.reason());
        assertEquals("mode trace needs ptrace, which this kernel forbids to every process "
                + "(kernel.yama.ptrace_scope = 3, fixed until reboot): use observe", e.getMessage());
    }
}
