package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.systemd.TransientUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampler's transient unit: only the privileges docs/security.md lists, bounded in time and memory. */
class SamplerUnitTest {

    private final TransientUnit unit = SamplerUnit.of("unitguard-learn-redis-server-0a1b2c3d4e5f.service",
            "redis-server.service", Duration.ofSeconds(60), Path.of("/run/unitguard/learn/x.json"),
            new SamplerUnit.Command("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/usr/share/unitguard/unitguard.jar"));

    @Test
    void of_privileges_ptraceAndDacReadSearchOnlyNoNewPrivileges() {
        assertEquals(1L << 2 | 1L << 19, unit.property("CapabilityBoundingSet"));
        assertEquals(true, unit.property("NoNewPrivileges"));
        assertEquals("strict", unit.property("ProtectSystem"));
        assertEquals("read-only", unit.property("ProtectHome"));
        assertEquals(true, unit.property("PrivateNetwork"));
        assertEquals(true, unit.property("PrivateDevices"));
        assertEquals(null, unit.property("ProtectProc"), "ProtectProc= would hide the service from the sampler");
        assertEquals(null, unit.property("User"), "root: the sampler reads every user's /proc entries");
    }

    @Test
    void of_bounds_runtimeMemoryTasksAndOutput() {
        assertEquals(120_000_000L, unit.property("RuntimeMaxUSec"), "the window plus 60 s");
        assertEquals(192L << 20, unit.property("MemoryMax"));
        assertEquals(64L, unit.property("TasksMax"));
        assertEquals(0077L, unit.property("UMask"));
        assertEquals("/run/unitguard/learn/x.json", unit.property("StandardOutputFile"));
        assertEquals("inactive-or-failed", unit.property("CollectMode"));
    }

    @Test
    void of_execStart_theAgentsJvmRunsLearnSample() {
        @SuppressWarnings("unchecked")
        List<TransientProperty.Command> commands = (List<TransientProperty.Command>) unit.property("ExecStart");
        List<String> argv = commands.get(0).argv();
        assertEquals("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", commands.get(0).path());
        assertEquals(List.of("-cp", "/usr/share/unitguard/unitguard.jar", "dev.unitguard.cli.Main", "learn-sample",
                "--unit", "redis-server.service", "--duration", "60"), argv.subList(argv.size() - 8, argv.size()));
        assertTrue(argv.contains("-Xmx96m"), argv.toString());
    }

    @Test
    void samplerName_uniqueAndAValidServiceName() {
        String a = Learner.samplerName("redis-server.service");
        String b = Learner.samplerName("redis-server.service");
        assertTrue(a.matches("unitguard-learn-redis-server-[0-9a-f]{12}\\.service"), a);
        assertTrue(!a.equals(b));
        assertTrue(Learner.samplerName("getty@tty1.service").startsWith("unitguard-learn-getty_tty1-"));
    }
}
