package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.unit.SystemdTables;
import dev.unitguard.unit.SystemdVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SigsysTest {

    private static final String ARCH = SystemdTables.nativeArchitecture().equals("aarch64") ? "c00000b7" : "c000003e";

    private static String record(int pid, String comm, String exe, int sig, String arch, String call) {
        int number = SystemdTables.get().syscallNumber(call).getAsInt();
        return "[24851.000159] audit: type=1326 audit(1796011659.385:5): auid=4294967295 uid=103 gid=106 "
                + "ses=4294967295 pid=" + pid + " comm=\"" + comm + "\" exe=\"" + exe + "\" sig=" + sig + " arch="
                + arch + " syscall=" + number + " compat=0 ip=0x7f22a7bafdc7 code=0x80000000";
    }

    @Test
    void explain_byPid_namesTheCallAndItsSmallestGroup() {
        List<String> records = List.of(record(7, "other", "/usr/bin/other", 31, ARCH, "mount"),
                record(812, "redis-server", "/usr/bin/redis-check-rdb", 31, ARCH, "socket"));
        Sigsys s = Sigsys.explain(records, SystemdVersion.V252, OptionalLong.of(812), Optional.empty()).orElseThrow();
        assertEquals("socket", s.syscall());
        assertEquals(Optional.of("@network-io"), s.group());
        assertEquals("/usr/bin/redis-check-rdb was killed by SIGSYS (status=31/SYS): SystemCallFilter= does not allow "
                + "the system call socket (" + s.number() + "); @network-io allows it", s.message());
    }

    @Test
    void explain_byProgramName_whenThePidIsFromAnotherNamespace() {
        List<String> records = List.of(record(30522, "redis-server", "/usr/bin/redis-check-rdb", 31, ARCH, "mount"),
                record(30600, "sshd", "/usr/sbin/sshd", 31, ARCH, "socket"));
        assertEquals(Optional.of("@mount"), Sigsys.explain(records, SystemdVersion.V257, OptionalLong.of(55),
                Optional.of("/usr/bin/redis-server")).orElseThrow().group());
    }

    @Test
    void explain_otherSignalsAndOtherPrograms_explainNothing() {
        List<String> records = List.of(record(9, "x", "/usr/bin/x", 9, ARCH, "socket"),
                record(10, "y", "/usr/bin/y", 31, ARCH, "socket"));
        assertEquals(Optional.empty(), Sigsys.explain(records, SystemdVersion.V252, OptionalLong.of(9),
                Optional.of("/usr/bin/x")));
    }

    @Test
    void explain_foreignArchitecture_givesTheNumberOnly() {
        Sigsys s = Sigsys.explain(List.of(record(9, "x", "/usr/bin/x", 31, "40000003", "socket")),
                SystemdVersion.V252, OptionalLong.empty(), Optional.empty()).orElseThrow();
        assertEquals(Optional.empty(), s.group());
        assertEquals("syscall " + s.number(), s.syscall());
    }
}
