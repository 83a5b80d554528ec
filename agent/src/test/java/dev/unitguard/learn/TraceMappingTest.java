package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.Access;
import dev.unitguard.host.FileInfo;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.SocketNeed;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The mapping of traces to needs, on traces of Debian's nginx and sshd recorded in the lab (systemd 252, strace 6.1,
 * the options of {@link TraceDropIn}; learn/trace/*.txt), and on single lines for the rules the recordings lack.
 */
class TraceMappingTest {

    /** Every file exists, root's, mode 0644 (a directory 0755), except those named. */
    private static Function<String, Optional<FileInfo>> host(Set<String> missing, Map<String, FileInfo> special) {
        return path -> missing.contains(path) ? Optional.empty() : Optional.of(special.getOrDefault(path,
                new FileInfo(FileInfo.Type.REGULAR, 0, 0, 0644)));
    }

    private static TraceMapping traced(Needs needs, Function<String, Optional<FileInfo>> host, String... fixtures)
            throws Exception {
        TraceMapping mapping = new TraceMapping(needs, host, 0, 0, "/");
        for (String fixture : fixtures) {
            StraceCall.Joiner joiner = new StraceCall.Joiner();
            try (InputStream in = TraceMappingTest.class.getResourceAsStream("/learn/trace/" + fixture)) {
                Tracer.lines(in, Tracer.MAX_BYTES, line -> joiner.accept(line).ifPresent(c -> mapping.add(c, false)));
            }
        }
        mapping.finish();
        return mapping;
    }

    private static String access(Requirements r, String path) {
        return r.paths().stream().filter(p -> p.path().equals(path)).map(p -> Access.format(p.access()))
                .findFirst().orElse("none");
    }

    private static String note(Requirements r, String path) {
        return r.paths().stream().filter(p -> p.path().equals(path)).map(PathRequirement::learned)
                .flatMap(Optional::stream).findFirst().orElse("none");
    }

    @Test
    void nginx_startUpReadsListenersWorkersAndCapabilities() throws Exception {
        Needs needs = new Needs();
        TraceMapping m = traced(needs, host(Set.of("/run/nginx.pid"), Map.of()), "nginx-start-pre.txt",
                "nginx-start.txt");
        Requirements r = needs.requirements(Optional.of("root"), Optional.of("root"));

        assertEquals(List.of("CAP_NET_BIND_SERVICE", "CAP_SETGID", "CAP_SETUID"), List.copyOf(m.capabilities().keySet()));
        assertEquals("traced: bind to port 80 by root pid 100 (nginx)", m.capabilities().get("CAP_NET_BIND_SERVICE"));
        assertEquals("traced: setgid by root pid 112 (nginx)", m.capabilities().get("CAP_SETGID"));
        assertEquals("r", access(r, "/etc/nginx/nginx.conf"));
        assertEquals("traced: openat O_RDONLY by root pid 100 (nginx); traced: openat O_RDONLY by root pid 105 (nginx)",
                note(r, "/etc/nginx/nginx.conf"));
        assertEquals("r", access(r, "/etc/nginx/sites-enabled/default"));
        assertEquals("rx", access(r, "/etc/nginx/conf.d"));
        assertEquals("rwx", access(r, "/var/lib/nginx/body"));
        assertEquals("w", access(r, "/var/log/nginx/error.log"));
        assertEquals("rw", access(r, "/run/nginx.pid"));
        assertEquals("w", access(r, "/run"));
        assertEquals("x", access(r, "/usr/sbin/nginx"));
        assertEquals("r", access(r, "/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals("none", access(r, "/etc/ld.so.cache"), "a failed open is no need");
        assertEquals(List.of(SocketNeed.inet(SocketNeed.Protocol.TCP, "0.0.0.0", 80).toString(),
                SocketNeed.inet(SocketNeed.Protocol.TCP, "::", 80).toString()),
                r.network().orElseThrow().listen().stream().map(SocketNeed::toString).toList());
        assertTrue(r.network().orElseThrow().families().containsAll(Set.of("AF_INET", "AF_INET6", "AF_UNIX")));
        assertTrue(m.syscalls().containsAll(Set.of("openat", "bind", "listen", "setuid", "epoll_create", "execve",
                "clone", "setgroups", "mkdir")), m.syscalls().toString());
        assertTrue(m.syscalls().stream().allMatch(s -> s.matches("[a-z0-9_]+")));
    }

    @Test
    void ssh_privilegeSeparationNeedsChrootKillAndIdentity() throws Exception {
        Needs needs = new Needs();
        TraceMapping m = traced(needs, host(Set.of(), Map.of()), "ssh-start.txt");
        Requirements r = needs.requirements(Optional.of("root"), Optional.of("root"));

        assertEquals(List.of("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETGID", "CAP_SETUID", "CAP_SYS_CHROOT"),
                List.copyOf(m.capabilities().keySet()));
        assertEquals("traced: kill of pid 156 (uid 994) by root pid 155 (sshd)", m.capabilities().get("CAP_KILL"));
        assertEquals("traced: chroot by root pid 156 (sshd)", m.capabilities().get("CAP_SYS_CHROOT"));
        assertEquals("r", access(r, "/etc/ssh/ssh_host_ed25519_key"));
        assertEquals("r", access(r, "/etc/ssh/sshd_config"));
        assertEquals("x", access(r, "/run/sshd"));
        assertTrue(r.network().orElseThrow().families().contains("AF_NETLINK"));
        assertTrue(m.syscalls().containsAll(Set.of("chroot", "setresuid", "kill", "accept")), m.syscalls().toString());
    }

    @Test
    void mkdir_foundThenEntered_aWalkThroughAncestorsOnlyWhatIsNotEnteredGranted() {
        // `mkdir -p -m 740 /var/log/apt` as strace 6.1 prints it (coreutils 9.1), then a daemon making sure of its own
        // directory: the walk must not make /var or /var/log writable (a recommended ReadWritePaths=-/var).
        Needs needs = new Needs();
        TraceMapping m = new TraceMapping(needs, host(Set.of(), Map.of()), 0, 0, "/");
        StraceCall.Joiner joiner = new StraceCall.Joiner();
        for (String line : List.of(
                "8522  mkdir(\"/var\", 0777)               = -1 EEXIST (File exists)",
                "8522  chdir(\"/var\")                     = 0",
                "8522  mkdir(\"log\", 0777)                = -1 EEXIST (File exists)",
                "8522  chdir(\"log\")                      = 0",
                "8522  mkdir(\"apt\", 0740)                = -1 EEXIST (File exists)",
                "9000  mkdir(\"/srv/data\", 0700) = -1 EEXIST (File exists)",
                "9000  chdir(\"/srv\") = 0",
                "9001  mkdir(\"/srv/other\", 0700) = -1 EEXIST (File exists)")) {
            joiner.accept(line).ifPresent(c -> m.add(c, false));
        }
        m.finish();

        Requirements r = needs.requirements(Optional.of("root"), Optional.of("root"));
        assertEquals("x", access(r, "/var"));
        assertEquals("x", access(r, "/var/log"));
        assertEquals("rwx", access(r, "/var/log/apt"));
        assertEquals("rwx", access(r, "/srv/data"), "entering another directory is no walk through this one");
        assertEquals("rwx", access(r, "/srv/other"), "found by the last call: granted at the end");
    }

    private static TraceMapping lines(Function<String, Optional<FileInfo>> host, String... lines) {
        TraceMapping m = new TraceMapping(new Needs(), host, 0, 0, "/");
        StraceCall.Joiner joiner = new StraceCall.Joiner();
        for (String line : lines) {
            joiner.accept(line).ifPresent(c -> m.add(c, false));
        }
        return m;
    }

    @Test
    void rules_eachCapabilityFromItsCallOnlyWhenTheKernelWouldAskForIt() {
        Function<String, Optional<FileInfo>> host = host(Set.of(), Map.of(
                "/var/lib/app/secret", new FileInfo(FileInfo.Type.REGULAR, 33, 33, 0600),
                "/var/lib/app/data", new FileInfo(FileInfo.Type.REGULAR, 33, 33, 0644)));
        TreeMap<String, String> expected = new TreeMap<>(Map.of(
                "CAP_CHOWN", "traced: fchownat by root pid 10 (?)",
                "CAP_DAC_READ_SEARCH", "traced: openat O_RDONLY of /var/lib/app/secret (owner 33 group 33 mode 0600) "
                        + "by root pid 10 (?)",
                "CAP_DAC_OVERRIDE", "traced: openat O_WRONLY of /var/lib/app/data (owner 33 group 33 mode 0644) "
                        + "by root pid 10 (?)",
                "CAP_NET_RAW", "traced: socket by root pid 10 (?)",
                "CAP_SYS_RESOURCE", "traced: prlimit64 raising the hard RLIMIT_NOFILE from 4096 to 65536 by root "
                        + "pid 10 (?)"));
        TraceMapping m = lines(host,
                "10    fchownat(AT_FDCWD, \"/var/lib/app\", 33, 33, 0) = 0",
                "10    openat(AT_FDCWD, \"/var/lib/app/secret\", O_RDONLY|O_CLOEXEC) = 3",
                "10    openat(AT_FDCWD, \"/var/lib/app/data\", O_WRONLY|O_APPEND) = 4",
                "10    openat(AT_FDCWD, \"/etc/app.conf\", O_RDONLY) = 5",
                "10    socket(AF_PACKET, SOCK_RAW, 768) = 6",
                "10    socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 7",
                "10    prlimit64(0, RLIMIT_NOFILE, {rlim_cur=65536, rlim_max=65536}, {rlim_cur=1024, rlim_max=4096}) = 0",
                "10    bind(7, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0",
                "10    chroot(\"/srv/jail\") = -1 EPERM (Operation not permitted)",
                "10    setuid(0) = 0");
        assertEquals(expected, new TreeMap<>(m.capabilities()));
    }

    @Test
    void rules_aProcessThatIsNoLongerRootNeedsNothingForWhatItMayDo() {
        TraceMapping m = lines(host(Set.of(), Map.of()),
                "20    setgid(33) = 0",
                "20    setuid(33) = 0",
                "20    fchownat(AT_FDCWD, \"/tmp/x\", 33, 33, 0) = 0",
                "20    kill(21, SIGTERM) = 0",
                "20    bind(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
                        + "inet_pton(AF_INET6, \"::\", &sin6_addr), sin6_scope_id=0}, 28) = 0");
        assertEquals(List.of("CAP_NET_BIND_SERVICE", "CAP_SETGID", "CAP_SETUID"), List.copyOf(m.capabilities().keySet()));
        assertEquals("traced: bind to port 443 by pid 20 (?, uid 33)", m.capabilities().get("CAP_NET_BIND_SERVICE"));
    }

    @Test
    void joiner_callsSplitByAnotherProcessAreJoined() {
        StraceCall.Joiner j = new StraceCall.Joiner();
        assertEquals(Optional.empty(), j.accept("105   openat(AT_FDCWD, \"/run/nginx.pid\", O_RDWR|O_CREAT|O_TRUNC, 0644 "
                + "<unfinished ...>"));
        assertEquals(Optional.empty(), j.accept("110   getpid( <unfinished ...>"));
        StraceCall open = j.accept("105   <... openat resumed>)             = 7").orElseThrow();
        assertEquals(List.of("AT_FDCWD", "\"/run/nginx.pid\"", "O_RDWR|O_CREAT|O_TRUNC", "0644"), open.args());
        assertEquals(7, open.result());
        StraceCall pid = j.accept("110   <... getpid resumed>)             = 110").orElseThrow();
        assertEquals(List.of(), pid.args());
        StraceCall failed = j.accept("105   openat(AT_FDCWD, \"/a\\\"b\", O_RDONLY) = -1 ENOENT (No such file or "
                + "directory)").orElseThrow();
        assertEquals(Optional.of("ENOENT"), failed.error());
        assertEquals(Optional.of("/a\"b"), failed.path(1));
        assertEquals(Optional.empty(), j.accept("strace: Process 12 attached"));
    }
}
