package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A /proc made of the real formats (status, cgroup, maps copied from a live redis-server; fd links and fdinfo as the
 * kernel shows them), read and turned into needs.
 */
class ProcReaderTest {

    @TempDir
    Path proc;

    @BeforeEach
    void fakeProc() throws Exception {
        Path fixtures = SocketTableTest.fixtures().getParent();
        Path redis = Files.createDirectories(proc.resolve("812"));
        for (String file : List.of("status", "cgroup", "maps")) {
            Files.copy(fixtures.resolve("812").resolve(file), redis.resolve(file));
        }
        Files.createSymbolicLink(redis.resolve("exe"), Path.of("/usr/bin/redis-server"));
        Files.createSymbolicLink(redis.resolve("cwd"), Path.of("/var/lib/redis"));
        Files.createSymbolicLink(redis.resolve("root"), Path.of("/"));
        fd(redis, 0, "/dev/null", "0100000");
        fd(redis, 1, "socket:[31000]", "02");
        fd(redis, 3, "/var/log/redis/redis-server.log", "02102001");
        fd(redis, 4, "pipe:[4711]", "02004000");
        fd(redis, 5, "anon_inode:[eventpoll]", "02000002");
        fd(redis, 6, "socket:[31412]", "02004002");
        fd(redis, 7, "socket:[31413]", "02004002");
        fd(redis, 8, "socket:[31414]", "02004002");
        fd(redis, 9, "socket:[31977]", "02004002");
        fd(redis, 10, "socket:[31980]", "02004002");
        fd(redis, 11, "socket:[31417]", "02004002");
        fd(redis, 12, "/etc/redis/users.acl", "0100000");
        fd(redis, 13, "/var/lib/redis/temp-900.rdb (deleted)", "0100001");
        fd(redis, 14, "/var/lib/redis", "02200000");
        fd(redis, 15, "/proc/812/stat", "0100000");
        fd(redis, 16, "/var/lib/redis/appendonly.aof", "0102002");
        Files.createDirectories(redis.resolve("net"));
        try (var tables = Files.list(SocketTableTest.fixtures())) {
            for (Path t : tables.toList()) {
                Files.copy(t, redis.resolve("net").resolve(t.getFileName()));
            }
        }
        Path other = Files.createDirectories(proc.resolve("1033"));
        Files.writeString(other.resolve("cgroup"), "1:name=systemd:/system.slice/redis-server.service.d\n"
                + "0::/system.slice/nginx.service\n");
        Path worker = Files.createDirectories(proc.resolve("900"));
        Files.writeString(worker.resolve("cgroup"), "0::/system.slice/redis-server.service/worker\n");
        Files.createDirectories(proc.resolve("self"));
    }

    private static void fd(Path process, int fd, String target, String flags) throws IOException {
        Files.createDirectories(process.resolve("fd"));
        Files.createDirectories(process.resolve("fdinfo"));
        Files.createSymbolicLink(process.resolve("fd").resolve(Integer.toString(fd)), Path.of(target));
        Files.writeString(process.resolve("fdinfo").resolve(Integer.toString(fd)),
                "pos:\t0\nflags:\t" + flags + "\nmnt_id:\t29\nino:\t1234\n");
    }

    @Test
    void pidsOf_matchesTheUnitAsACgroupComponentOnly() throws Exception {
        assertEquals(List.of(812L, 900L), new ProcReader(proc).pidsOf("redis-server.service"));
        assertEquals(List.of(1033L), new ProcReader(proc).pidsOf("nginx.service"));
    }

    @Test
    void read_status_givesNameIdsAndCapabilities() {
        ProcessSample p = new ProcReader(proc).read(812).orElseThrow();
        assertEquals("pid 812 (redis-server)", p.who());
        assertEquals(100, p.uid());
        assertEquals(101, p.gid());
        assertEquals(0x400L, p.capEff());
        assertEquals(Optional.of("/var/lib/redis"), p.cwd());
        assertEquals(16, p.files().size());
        assertEquals(10, p.maps().size(), "file mappings only: no heap, stack, vdso or anonymous memory");
    }

    @Test
    void read_goneProcess_isEmpty() {
        assertEquals(Optional.empty(), new ProcReader(proc).read(4242));
    }

    @Test
    void observe_redis_statesFilesSocketsAndFamilies() throws Exception {
        ProcReader reader = new ProcReader(proc);
        ProcessSample p = reader.read(812).orElseThrow();
        Needs needs = new Needs();
        Observer.observe(List.of(p), SocketTable.read(reader.net(812)), needs);
        Requirements r = needs.requirements(Optional.of("redis"), Optional.empty());

        assertEquals("""
                {
                  "user" : "redis",
                  "paths" : [ {
                    "path" : "/etc/redis/users.acl",
                    "access" : "r",
                    "learned" : "open for reading by pid 812 (redis-server)"
                  }, {
                    "path" : "/usr/bin/redis-server",
                    "access" : "rx",
                    "learned" : "executable of pid 812 (redis-server); mapped by pid 812 (redis-server); mapped executable by pid 812 (redis-server)"
                  }, {
                    "path" : "/usr/lib/locale/C.utf8/LC_CTYPE",
                    "access" : "r",
                    "learned" : "mapped by pid 812 (redis-server)"
                  }, {
                    "path" : "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                    "access" : "r",
                    "learned" : "mapped by pid 812 (redis-server); mapped executable by pid 812 (redis-server)"
                  }, {
                    "path" : "/usr/lib/x86_64-linux-gnu/libc.so.6",
                    "access" : "r",
                    "learned" : "mapped by pid 812 (redis-server); mapped executable by pid 812 (redis-server)"
                  }, {
                    "path" : "/var/lib/redis",
                    "access" : "rx",
                    "learned" : "working directory of pid 812 (redis-server); directory open by pid 812 (redis-server)"
                  }, {
                    "path" : "/var/lib/redis/appendonly.aof",
                    "access" : "rw",
                    "learned" : "open for reading and writing by pid 812 (redis-server)"
                  }, {
                    "path" : "/var/lib/redis/shared map.bin",
                    "access" : "rw",
                    "learned" : "mapped shared and writable by pid 812 (redis-server)"
                  }, {
                    "path" : "/var/log/redis/redis-server.log",
                    "access" : "w",
                    "learned" : "open for writing by pid 812 (redis-server)"
                  } ],
                  "devices" : [ "/dev/null" ],
                  "network" : {
                    "listen" : [ {
                      "protocol" : "tcp",
                      "address" : "127.0.0.1",
                      "port" : 6379,
                      "learned" : "listening socket of pid 812 (redis-server)"
                    }, {
                      "protocol" : "tcp",
                      "address" : "::1",
                      "port" : 6379,
                      "learned" : "listening socket of pid 812 (redis-server)"
                    }, {
                      "protocol" : "unix",
                      "path" : "/run/redis/redis-server.sock",
                      "learned" : "listening socket of pid 812 (redis-server)"
                    } ],
                    "connect" : [ {
                      "protocol" : "tcp",
                      "address" : "10.0.0.10",
                      "port" : 3306,
                      "learned" : "connected by pid 812 (redis-server)"
                    } ],
                    "families" : [ "AF_INET", "AF_NETLINK" ]
                  }
                }""", Json.write(RequirementsManifest.document(r)));
    }

    @Test
    void observe_sameSampleTwice_sameManifest() throws Exception {
        ProcReader reader = new ProcReader(proc);
        Needs once = new Needs();
        Needs twice = new Needs();
        for (Needs n : List.of(once, twice, twice)) {
            Observer.observe(List.of(reader.read(812).orElseThrow()), SocketTable.read(reader.net(812)), n);
        }
        assertEquals(Json.write(RequirementsManifest.document(once.requirements(Optional.empty(), Optional.empty()))),
                Json.write(RequirementsManifest.document(twice.requirements(Optional.empty(), Optional.empty()))));
    }

    @Test
    void capabilities_capEffBits_areSystemdNames() {
        Sampler sampler = new Sampler(new ProcReader(proc), dev.unitguard.host.Accounts.read(proc));
        assertEquals(java.util.Set.of("CAP_NET_BIND_SERVICE"), sampler.capabilities(0x400L));
        assertEquals(java.util.Set.of("CAP_CHOWN", "CAP_SYS_PTRACE"), sampler.capabilities(1L | 1L << 19));
        assertTrue(sampler.capabilities(0x1ffffffffffL).contains("CAP_CHECKPOINT_RESTORE"));
    }

    @Test
    void note_manyPids_keepsAtMostEightAndCuts() {
        Needs needs = new Needs();
        for (int pid = 1; pid <= 20; pid++) {
            needs.path("/srv/x", java.util.EnumSet.of(Access.R), "open for reading by pid " + pid + " (" + "w".repeat(200)
                    + ")");
        }
        String note = needs.requirements(Optional.empty(), Optional.empty()).paths().get(0).learned().orElseThrow();
        assertEquals(Needs.MAX_NOTE, note.length());
        assertTrue(note.endsWith("..."), note);
    }
}
