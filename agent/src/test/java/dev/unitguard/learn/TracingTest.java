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
        Path strace = root.resolve("usr/bin/strace");
        Files.createDirectories(strace.getParent());
        Files.writeString(strace, "");
        Files.setPosixFilePermissions(strace, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = root.resolve("etc/systemd/system/app.service");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[Service]\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\nExecStart=/usr/bin/app\n");
        return UnitLoader.forRoot(root).load("app.service");
    }

    private void scope(String value) throws Exception {
        Path file = root.resolve(Tracing.PTRACE_SCOPE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + "\n");
    }

    @ParameterizedTest
    @CsvSource({"0, false", "1, false", "2, true", "garbage, false", "7, false"})
    void check_ptraceScope_capabilityAddedOnlyWhereTheKernelAsksForIt(String value, boolean grant) throws Exception {
        EffectiveUnit unit = unit();
        scope(value);
        assertEquals(grant, Tracing.check(unit, root), value);
    }

    @Test
    void check_noYama_noCapabilityAdded() throws Exception {
        assertEquals(false, Tracing.check(unit(), root));
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
