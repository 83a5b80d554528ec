package dev.unitguard.probe;

import dev.unitguard.sandbox.ExecInterpreter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.host.HostView;
import dev.unitguard.lab.DebianDaemon;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.SocketNeed;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Location;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The probe against Debian's own redis-server, running for real in the lab (issue: real daemons, items 5 and 7).
 * Its unit has {@code RuntimeDirectory=redis} (a probe that inherited it deleted the live /run/redis and its pid file
 * when it stopped) and {@code NoExecPaths=/} with {@code ExecPaths=/usr/bin/redis-server /usr/lib /lib} (the
 * probe's own /bin/sh got 203/EXEC).
 */
@LabTest
class RedisProbeIT {

    private static final String UNIT = "redis-server.service";
    private static final int PROBES = 20;

    @Test
    void probes_ofTheLiveRedisTwoAtATime_changeNothingAndItKeepsServing(Lab lab) throws Exception {
        EffectiveUnit unit = install(lab);
        Requirements needs = needs("/run/redis:rw", "/run/redis/redis-server.pid:r", "/var/lib/redis:rw",
                "/etc/redis/redis.conf:r", "/usr/bin/redis-server:x");

        // before the daemon ran: /run/redis does not exist; the probe sees it as the unit would and leaves none
        ProbeResult early = probe(lab, unit, needs("/run/redis:rw", "/var/lib/redis:rw"));
        assertTrue(early.ok(), early.toString());
        assertFalse(Files.exists(lab.root().resolve("run/redis")), "the probe's mount point was left behind");

        lab.exec("systemctl", "start", UNIT).requireSuccess();
        String before = live(lab);
        assertEquals("PONG|PONG", serving(lab));

        List<ProbeResult> results = new ArrayList<>();
        try (SystemdClient client = client(lab)) {
            Probe probe = new Probe(client, LabJournal.of(lab), lab.root(), Duration.ofSeconds(20));
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                List<Future<ProbeResult>> runs = new ArrayList<>();
                for (int i = 0; i < PROBES; i++) {
                    runs.add(two.submit(() -> probe.run(unit, needs)));
                }
                for (Future<ProbeResult> run : runs) {
                    results.add(run.get(2, TimeUnit.MINUTES));
                }
            } finally {
                two.shutdownNow();
            }
        }
        for (ProbeResult r : results) {
            assertTrue(r.ok(), r.toString());
        }
        assertEquals(before, live(lab), "the live redis changed under the probes");
        assertEquals("PONG|PONG", serving(lab));
        assertEquals(List.of(
                "RuntimeDirectory=redis: /run/redis as it is now (the probe does not create, chown, chmod or remove it "
                        + "as systemd does for the service)",
                ProbeExecAllowance.notSeen(ProbeExecAllowance.of(unit, HostView.of(lab.root())))),
                results.get(0).notSeen());
    }

    @Test
    void probe_underRedisOwnNoExecPaths_runsAndAgreesWithTheStaticModel(Lab lab) throws Exception {
        EffectiveUnit unit = install(lab);
        lab.writeFile("/home/ugu/notes.txt", "x\n", "644", "root:root");
        Requirements needs = needs("/etc/redis/redis.conf:r", "/home/ugu/notes.txt:r", "/root:x",
                "/usr/bin/redis-server:x", "/usr/bin/true:x", "/var/lib/redis:rw", "/etc/hostname:w");

        ProbeResult real = probe(lab, unit, needs);

        assertTrue(real.startup().ok(), real.toString());
        assertEquals(List.of(true, false, false, true, false, true, false),
                real.requirements().stream().map(ProbeResult.Observation::ok).toList(), real.toString());
        assertEquals("x: Permission denied", real.requirements().get(4).error(), "noexec outside the allowance");
        StaticEvaluator evaluator = new StaticEvaluator(
                HostView.withMountInfo(lab.root(), Path.of("/proc/" + lab.pid() + "/mountinfo")));
        assertEquals(List.of(), ConformanceIT.compare(evaluator.evaluate(unit, needs), real));
    }

    /**
     * The two things a probe used to miss on real daemons: a candidate that allows only redis's binary under
     * {@code NoExecPaths=/} leaves its loader on a noexec mount (the probe allows the same loader for its own shell,
     * yet judges the service's by the mount beneath its own), and {@code PrivateNetwork=yes} puts the listening
     * socket out of the host's reach (the probe runs in another namespace with only a loopback device).
     */
    @Test
    void probe_loaderOnNoexecAndPrivateNetwork_seenAsTheServiceWouldMeetThem(Lab lab) throws Exception {
        EffectiveUnit unit = install(lab);
        Requirements paths = needs("/usr/bin/redis-server:x", "/usr/bin/true:x");
        Requirements needs = new Requirements(Optional.empty(), Optional.empty(), paths.paths(), List.of(),
                Optional.of(new NetworkNeeds(List.of(SocketNeed.inet(SocketNeed.Protocol.TCP, "127.0.0.1", 6379)),
                        List.of(), Set.of())), Optional.empty(), Optional.empty());

        ProbeResult asShipped = probe(lab, unit, needs);
        assertEquals(List.of(true, false), asShipped.requirements().stream().map(ProbeResult.Observation::ok)
                .toList(), asShipped.toString());
        String host = Files.readSymbolicLink(lab.root().resolve("proc/1/ns/net")).toString();
        assertEquals(List.of(new ProbeResult.Need("listen tcp 127.0.0.1:6379", true,
                "in the host's network namespace " + host)), asShipped.needs());

        ProbeResult onlyBinary = probe(lab, unit.withCandidate(List.of(
                assignment("ExecPaths", ""), assignment("ExecPaths", "/usr/bin/redis-server"))), needs);
        assertTrue(onlyBinary.startup().ok(), onlyBinary.toString());
        // /usr/bin/redis-server is a link to redis-check-rdb
        String loader = ExecInterpreter.chain(HostView.of(lab.root()), "/usr/bin/redis-server").get(0).named();
        assertEquals(List.of(
                new ProbeResult.Observation("/usr/bin/redis-server", "x", false,
                        "x: Permission denied (its interpreter " + loader + " is on a noexec mount)"),
                new ProbeResult.Observation("/usr/bin/true", "x", false, "x: Permission denied")),
                onlyBinary.requirements());
        assertFalse(new StaticEvaluator(HostView.withMountInfo(lab.root(), Path.of("/proc/" + lab.pid()
                + "/mountinfo"))).evaluate(unit.withCandidate(List.of(assignment("ExecPaths", ""),
                assignment("ExecPaths", "/usr/bin/redis-server"))), needs).startup().ok(),
                "the static check predicts 203/EXEC there too");

        ProbeResult privateNetwork = probe(lab, unit.withCandidate(List.of(assignment("PrivateNetwork", "yes"))),
                needs);
        assertTrue(privateNetwork.startup().ok(), privateNetwork.toString());
        assertEquals(1, privateNetwork.needs().size(), privateNetwork.toString());
        ProbeResult.Need listen = privateNetwork.needs().get(0);
        assertFalse(listen.ok(), listen.toString());
        assertTrue(listen.seen().startsWith("listens on tcp 127.0.0.1:6379, unreachable from the host: the service "
                + "runs in its own network namespace net:["), listen.seen());
        assertTrue(listen.seen().endsWith("(the host's is " + host + ") with only a loopback device"), listen.seen());
        assertFalse(privateNetwork.ok());
    }

    private static Assignment assignment(String key, String value) {
        return new Assignment("Service", key, value, new Location(Path.of("50-candidate.conf"), 1));
    }

    /** Installs redis on the host (not started), copies its user and files into the lab and returns its unit. */
    private static EffectiveUnit install(Lab lab) throws Exception {
        DebianDaemon.requireInstalled("redis-server", "redis-tools");
        DebianDaemon.copyInto(lab, List.of("redis"), List.of("/etc/redis", "/var/lib/redis", "/var/log/redis"));
        // a Unix socket too, so that the runtime directory holds the pid file and a socket
        lab.exec("sh", "-c", "printf 'unixsocket /run/redis/redis-server.sock\\nunixsocketperm 770\\n' "
                + ">> /etc/redis/redis.conf").requireSuccess();
        return UnitLoader.forRoot(lab.root()).load(UNIT);
    }

    private static ProbeResult probe(Lab lab, EffectiveUnit unit, Requirements needs) throws Exception {
        try (SystemdClient client = client(lab)) {
            return new Probe(client, LabJournal.of(lab), lab.root(), Duration.ofSeconds(20)).run(unit, needs);
        }
    }

    private static SystemdClient client(Lab lab) {
        return SystemdClient.forAddress(lab.systemBusAddress(), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** The live daemon's runtime directory (inodes, modes, owners), pid file, main PID and its sockets. */
    private static String live(Lab lab) {
        return lab.exec("sh", "-c", "stat -c '%i %A %U:%G %n' /run/redis /run/redis/*; cat /run/redis/redis-server.pid;"
                + " systemctl show -p MainPID -p ActiveState -p NRestarts " + UNIT + ";"
                + " pid=$(systemctl show -P MainPID " + UNIT + "); ls -l /proc/$pid/fd | grep -o 'socket:.*' | sort")
                .requireSuccess().stdout();
    }

    private static String serving(Lab lab) {
        return lab.exec("redis-cli", "PING").stdout().strip() + "|"
                + lab.exec("redis-cli", "-s", "/run/redis/redis-server.sock", "PING").stdout().strip();
    }

    private static Requirements needs(String... needs) {
        List<PathRequirement> paths = new ArrayList<>();
        for (String n : needs) {
            int colon = n.lastIndexOf(':');
            paths.add(new PathRequirement(n.substring(0, colon), Access.parse(n.substring(colon + 1)), false));
        }
        return new Requirements(Optional.empty(), Optional.empty(), paths, List.of());
    }
}
