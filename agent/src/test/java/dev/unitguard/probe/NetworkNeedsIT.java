package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.check.CheckReport;
import dev.unitguard.host.HostView;
import dev.unitguard.lab.DebianDaemon;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.HostCommand;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.sandbox.NeedVerdict;
import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Network and system call needs of Debian's redis-server (listening on tcp 127.0.0.1:6379), each candidate judged by
 * {@code check} first, then applied for real in the lab as a drop-in and the daemon asked for PONG from the lab's
 * own network namespace (the "host" the service serves): a candidate predicted broken really stops it serving, one
 * predicted fine really serves (issue 14, item 3).
 */
@LabTest
class NetworkNeedsIT {

    private static final String UNIT = "redis-server.service";
    private static final SocketNeed LISTEN = SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 6379);
    /** Calls redis makes serving a client (seen with strace: socket, bind, listen, accept4, epoll_wait...). */
    private static final Set<String> SYSCALLS = Set.of("socket", "bind", "listen", "accept4", "setsockopt",
            "epoll_wait", "read", "write", "openat", "close");

    @Test
    void privateNetwork_onALoopbackServer_predictedUnreachableAndReallyIs(Lab lab) throws Exception {
        EffectiveUnit unit = install(lab);
        CheckReport broken = check(lab, unit, List.of(new Directive("PrivateNetwork", "yes")));
        NeedVerdict listen = need(broken, "listen tcp 127.0.0.1:6379");
        assertFalse(listen.ok(), listen.toString());
        assertEquals("PrivateNetwork=yes", listen.deniedBy());
        assertEquals("listens on tcp 127.0.0.1:6379, unreachable from the host under PrivateNetwork=yes: the service "
                + "gets its own network namespace with only a loopback device", listen.reason());

        apply(lab, "PrivateNetwork=yes");
        assertEquals("active", lab.exec("systemctl", "is-active", UNIT).stdout().strip(),
                "redis still runs in its own network namespace");
        assertFalse(pong(lab), "PrivateNetwork=yes: the host still reached redis on 127.0.0.1:6379");
        assertEquals("1", lab.exec("sh", "-c", "nsenter -t $(systemctl show -P MainPID " + UNIT
                + ") -n redis-cli -h 127.0.0.1 PING | grep -c PONG").stdout().strip(),
                "inside its namespace redis listens on its own loopback");

        CheckReport fine = check(lab, unit, List.of(new Directive("PrivateNetwork", "no"),
                new Directive("ProtectHostname", "yes")));
        assertTrue(need(fine, "listen tcp 127.0.0.1:6379").ok(), fine.needs().toString());
        apply(lab, "PrivateNetwork=no\nProtectHostname=yes");
        assertTrue(pong(lab), "the candidate that keeps the network: redis does not answer");
    }

    @Test
    void restrictAddressFamilies_withoutInet_predictedAndConfirmed_andWithoutInet6OnlyFine(Lab lab) throws Exception {
        EffectiveUnit unit = install(lab);
        // the unit allows AF_INET AF_INET6 AF_UNIX; ~AF_INET removes AF_INET from that allow list
        CheckReport broken = check(lab, unit, List.of(new Directive("RestrictAddressFamilies", "~AF_INET")));
        NeedVerdict listen = need(broken, "listen tcp 127.0.0.1:6379");
        assertFalse(listen.ok(), listen.toString());
        assertEquals("RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX RestrictAddressFamilies=~AF_INET",
                listen.deniedBy());
        apply(lab, "RestrictAddressFamilies=~AF_INET");
        assertFalse(pong(lab), "without AF_INET redis still served on 127.0.0.1:6379");

        // redis binds ::1 too, but optionally ("bind 127.0.0.1 -::1"): the manifest does not need it
        List<Directive> noInet6 = List.of(new Directive("RestrictAddressFamilies", ""),
                new Directive("RestrictAddressFamilies", "AF_INET AF_UNIX"));
        CheckReport fine = check(lab, unit, noInet6);
        assertTrue(fine.needs().stream().allMatch(NeedVerdict::ok), fine.needs().toString());
        apply(lab, "RestrictAddressFamilies=\nRestrictAddressFamilies=AF_INET AF_UNIX");
        assertTrue(pong(lab), "AF_INET and AF_UNIX are all redis needs, yet it does not answer");
    }

    @Test
    void systemCallFilter_withoutNetworkIo_predictedAndKilledBySigsys_explained(Lab lab) throws Exception {
        EffectiveUnit unit = install(lab);
        CheckReport broken = check(lab, unit, List.of(new Directive("SystemCallFilter", "~@network-io")));
        NeedVerdict socket = need(broken, "syscall socket");
        assertFalse(socket.ok(), broken.needs().toString());
        assertEquals("makes the system call socket, which SystemCallFilter=@system-service SystemCallFilter=~ "
                + "@privileged @resources SystemCallFilter=~@network-io kills the service with SIGSYS "
                + "(status=31/SYS); @network-io allows it", socket.reason());
        assertTrue(need(check(lab, unit, List.of()), "syscalls").ok(), "the unit as shipped lets them through");

        KernelLog kernel = KernelLog.now();
        apply(lab, "SystemCallFilter=~@network-io");
        assertFalse(pong(lab), "without @network-io redis still served");
        String status = lab.exec("systemctl", "show", "-P", "ExecMainStatus", UNIT).stdout().strip();
        assertEquals("31", status, "redis did not die by SIGSYS");

        Optional<Sigsys> why = Sigsys.explain(kernel.since(), lab.version(), OptionalLong.empty(),
                Optional.of("/usr/bin/redis-server"));
        assertTrue(why.isPresent(), "no seccomp record of redis-server in the kernel log");
        assertEquals(Optional.of("@network-io"), why.get().group(), why.get().message());
        assertTrue(why.get().message().startsWith("/usr/bin/redis-check-rdb was killed by SIGSYS (status=31/SYS): "
                + "SystemCallFilter= does not allow the system call " + why.get().syscall() + " ("), why.get().message());
        NeedVerdict predicted = need(check(lab, unit, List.of(new Directive("SystemCallFilter", "~@network-io"))),
                "syscall " + why.get().syscall());
        assertFalse(predicted.ok(), "check let through the call that killed redis: " + why.get().syscall());

        apply(lab, "");
        assertTrue(pong(lab), "redis as shipped does not answer");
    }

    /** Installs redis on the host (not started), copies its user and files into the lab and returns its unit. */
    private static EffectiveUnit install(Lab lab) throws Exception {
        DebianDaemon.requireInstalled("redis-server", "redis-tools");
        DebianDaemon.copyInto(lab, List.of("redis"), List.of("/etc/redis", "/var/lib/redis", "/var/log/redis"));
        return UnitLoader.forRoot(lab.root()).load(UNIT);
    }

    private static CheckReport check(Lab lab, EffectiveUnit unit, List<Directive> candidate) throws Exception {
        HostView host = HostView.withMountInfo(lab.root(), Path.of("/proc/" + lab.pid() + "/mountinfo"));
        Requirements needs = new Requirements(Optional.empty(), Optional.empty(), List.of(), List.of(),
                Optional.of(new NetworkNeeds(List.of(LISTEN), List.of(), Set.of())), Optional.of(SYSCALLS),
                Optional.empty());
        return CheckReport.run(host, unit, DropInDirectives.parse(Path.of("candidate.conf"), "service", candidate),
                needs);
    }

    private static NeedVerdict need(CheckReport report, String need) {
        return report.needs().stream().filter(n -> n.need().equals(need)).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict for " + need + " in " + report.needs()));
    }

    /** Writes the candidate as a drop-in (none when empty), restarts redis and gives it a moment to serve or die. */
    private static void apply(Lab lab, String directives) throws Exception {
        String dir = "/etc/systemd/system/" + UNIT + ".d";
        lab.exec("sh", "-c", "rm -rf " + dir + " && mkdir -p " + dir).requireSuccess();
        if (!directives.isEmpty()) {
            lab.writeFile(dir + "/50-candidate.conf", "[Service]\n" + directives + "\n", "644", "root:root");
        }
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "reset-failed", UNIT);
        lab.exec("systemctl", "restart", UNIT);
        Thread.sleep(1500);
    }

    private static boolean pong(Lab lab) {
        for (int i = 0; i < 10; i++) {
            if (lab.exec("redis-cli", "-h", "127.0.0.1", "PING").stdout().strip().equals("PONG")) {
                return true;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * The kernel's ring buffer on the lab's host, from a moment on: where the seccomp records of the lab's services
     * land (the lab's own journald does not read the kernel's messages; on a real host journald does, which
     * {@code Journal.seccompRecords} reads).
     */
    private record KernelLog(String last) {

        /**
         * Marks the newest line. Not a count of lines: once the ring buffer is full (131072 bytes of text on the
         * build machine, reached after a day of lab runs) every new line pushes out the oldest and the count stays
         * the same.
         */
        static KernelLog now() {
            List<String> all = dmesg();
            return new KernelLog(all.isEmpty() ? "" : all.get(all.size() - 1));
        }

        /** The lines after the marked one; all of them when it was pushed out (the buffer drops the oldest first). */
        List<String> since() {
            List<String> all = dmesg();
            return new ArrayList<>(all.subList(all.lastIndexOf(last) + 1, all.size()));
        }

        private static List<String> dmesg() {
            ExecResult r = HostCommand.run(List.of("dmesg"), new byte[0], Duration.ofSeconds(30));
            r.requireSuccess();
            return r.stdout().lines().toList();
        }
    }
}
