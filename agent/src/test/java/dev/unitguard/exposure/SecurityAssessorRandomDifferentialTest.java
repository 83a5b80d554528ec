package dev.unitguard.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.unit.SystemdVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random units (several assignments per setting, resets, inversions, odd values) scored here and by the real
 * {@code systemd-analyze security --offline=true}: every difference fails, with the seed and the unit text.
 */
class SecurityAssessorRandomDifferentialTest {

    private static final String[][] POOLS = {
        {"User", "", "root", "0", "nobody", "svc", "%p", "%i"},
        {"DynamicUser", "yes", "no", "bogus"},
        {"SupplementaryGroups", "", "adm", "adm wheel"},
        {"PrivateDevices", "yes", "no"}, {"PrivateMounts", "yes", "no"}, {"PrivateNetwork", "yes", "no", "on"},
        {"PrivateTmp", "yes", "no"}, {"PrivateUsers", "yes", "no"}, {"ProtectControlGroups", "yes", "no"},
        {"ProtectKernelModules", "yes", "no"}, {"ProtectKernelTunables", "yes", "no"},
        {"ProtectKernelLogs", "yes", "no"}, {"ProtectClock", "yes", "no"}, {"ProtectHostname", "yes", "0"},
        {"ProtectHome", "yes", "no", "read-only", "tmpfs", "", "bogus"},
        {"ProtectSystem", "yes", "no", "full", "strict", "", "true"},
        {"RootDirectory", "", "/", "/srv/root", "relative"}, {"RootImage", "", "/srv/img.raw"},
        {"LockPersonality", "yes", "no"}, {"MemoryDenyWriteExecute", "yes", "no"}, {"NoNewPrivileges", "yes", "no"},
        {"CapabilityBoundingSet", "", "~", "CAP_SYS_ADMIN CAP_NET_RAW", "~CAP_SYS_ADMIN CAP_SYS_PTRACE", "CAP_CHOWN",
            "~CAP_KILL CAP_LEASE", "cap_bpf 21", "CAP_NOPE"},
        {"AmbientCapabilities", "", "CAP_NET_BIND_SERVICE", "~CAP_NET_BIND_SERVICE"},
        {"UMask", "0022", "0077", "0027", "0002", "0000", "", "0o7", "077"},
        {"KeyringMode", "private", "shared", "inherit", "x"},
        {"ProtectProc", "default", "invisible", "ptraceable", "noaccess"}, {"ProcSubset", "all", "pid"},
        {"NotifyAccess", "none", "all", "main", "exec"}, {"RemoveIPC", "yes", "no"}, {"Delegate", "yes", "no", "", "cpu"},
        {"RestrictRealtime", "yes", "no"}, {"RestrictSUIDSGID", "yes", "no"},
        {"RestrictNamespaces", "yes", "no", "", "net ipc", "~user mnt", "uts", "~net", "cgroup bogus"},
        {"RestrictAddressFamilies", "", "none", "AF_UNIX", "AF_INET AF_INET6", "~AF_PACKET", "~AF_NETLINK AF_UNIX",
            "AF_BLUETOOTH AF_UNIX", "~AF_CAN", "AF_LOCAL"},
        {"SystemCallArchitectures", "", "native", "native x86", "x86-64"},
        {"SystemCallFilter", "", "@system-service", "~@privileged @resources", "~@mount", "@basic-io read",
            "~@swap @reboot:EPERM", "chown", "~chown", "~@obsolete @debug", "@clock @module", "~_llseek"},
        {"IPAddressDeny", "", "any", "0.0.0.0/0", "::/0", "10.0.0.0/8"},
        {"IPAddressAllow", "", "localhost", "127.0.0.1", "::1", "192.168.1.0/24", "link-local"},
        {"IPIngressFilterPath", "", "/sys/fs/bpf/in"},
        {"DevicePolicy", "auto", "closed", "strict"},
        {"DeviceAllow", "", "/dev/null rw", "char-pts", "block-loop rwm"},
    };
    private static final int UNITS = 300;

    @TempDir
    static Path dir;

    private static SystemdAnalyzeSecurity.Release host;

    /** The host's own systemd-analyze is the judge, whichever supported release it is. */
    @BeforeAll
    static void requireSupportedHostSystemd() {
        java.util.Optional<SystemdVersion> version = SystemdAnalyzeSecurity.hostVersion();
        Assumptions.assumeTrue(version.isPresent(), "systemd-analyze is not installed");
        Assumptions.assumeTrue(version.get().supported(), "this machine's systemd " + version.get()
                + " is not a supported release " + SystemdVersion.SUPPORTED);
        host = new SystemdAnalyzeSecurity.Release(version.get(), Path.of("/"));
    }

    static Stream<Long> seeds() {
        return IntStream.range(0, UNITS).mapToObj(n -> 20261121L + n);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void assess_randomUnit_equalsSystemdAnalyze(long seed) throws Exception {
        Random random = new Random(seed);
        String text = randomUnit(random);
        String name = random.nextInt(5) == 0 ? "random" + seed + "@.service" : "random" + seed + ".service";
        Path file = Files.writeString(dir.resolve(name), text);
        SystemdAnalyzeSecurity.Output expected = SystemdAnalyzeSecurity.analyze(host, file);
        if (expected.refused()) {
            SecurityAssessmentException e = assertThrows(SecurityAssessmentException.class,
                    () -> SecurityAssessor.assess(TestUnitFiles.load(file, host.root(), host.offlineInstance()),
                            host.version()),
                    "systemd-analyze refused seed " + seed + ": " + expected.stderr());
            assertTrue(expected.stderr().contains(e.getMessage() + "\n"),
                    "seed " + seed + ": systemd said " + expected.stderr() + " but here: " + e.getMessage());
            return;
        }
        ExposureReport report = SecurityAssessor.assess(TestUnitFiles.load(file, host.root(),
                host.offlineInstance()), host.version());
        List<String> differences = SystemdAnalyzeSecurity.differences(expected, report);
        assertEquals(List.of(), differences, "systemd " + host.version() + ", seed " + seed + ", unit:\n" + text);
    }

    static String randomUnit(Random random) {
        List<String> lines = new ArrayList<>(List.of("[Unit]", "Description=random unit"));
        if (random.nextInt(6) == 0) {
            lines.add("DefaultDependencies=no");
        }
        lines.addAll(List.of("", "[Service]", "ExecStart=/bin/true"));
        int assignments = 1 + random.nextInt(25);
        for (int n = 0; n < assignments; n++) {
            String[] pool = POOLS[random.nextInt(POOLS.length)];
            lines.add(pool[0] + "=" + pool[1 + random.nextInt(pool.length - 1)]);
        }
        return String.join("\n", lines) + "\n";
    }
}
