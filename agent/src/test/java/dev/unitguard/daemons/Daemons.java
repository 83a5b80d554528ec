package dev.unitguard.daemons;

import java.util.ArrayList;
import java.util.List;

/**
 * The daemons of the suite and their candidates. Chosen because each installs in seconds from Debian's mirror, runs
 * from Debian's own unit in the lab without network or hardware, and can be shown to serve with a tool the lab has
 * (curl, redis-cli, ssh-keyscan, python3); between them they start as root and drop privileges (nginx, memcached,
 * mosquitto, lighttpd), run as their own user with Debian's strict unit (redis), are {@code Type=forking},
 * {@code simple} and {@code notify} (redis, mosquitto, ssh), use a {@code RuntimeDirectory=} (redis, ssh), a Perl
 * wrapper (memcached) and an interpreter at configuration time (lighttpd).
 */
final class Daemons {

    private static final String PYTHON_TCP = "python3 -c 'import socket,sys\n"
            + "s=socket.create_connection((\"127.0.0.1\",int(sys.argv[1])),2); s.settimeout(2)\n"
            + "s.sendall(bytes.fromhex(sys.argv[2])); got=b\"\"\n"
            + "while len(got)<len(bytes.fromhex(sys.argv[3])):\n"
            + "  chunk=s.recv(256)\n"
            + "  if not chunk: break\n"
            + "  got+=chunk\n"
            + "sys.exit(0 if got.startswith(bytes.fromhex(sys.argv[3])) else 1)' ";

    private Daemons() {
    }

    static List<Daemon> all() {
        return List.of(nginx(), redis(), memcached(), mosquitto(), lighttpd(), ssh());
    }

    static Daemon nginx() {
        return new Daemon("nginx", "nginx.service", List.of("nginx"), List.of("www-data"),
                List.of("/etc/nginx", "/var/lib/nginx", "/var/log/nginx", "/var/www"), "",
                "curl -sf --max-time 2 http://127.0.0.1/ | grep -q 'Welcome to nginx'",
                List.of("/run/nginx.pid"),
                candidates("/usr/sbin/nginx", "/etc/nginx", "/run /var/log/nginx /var/lib/nginx", List.of()));
    }

    static Daemon redis() {
        return new Daemon("redis", "redis-server.service", List.of("redis-server", "redis-tools"), List.of("redis"),
                List.of("/etc/redis", "/var/lib/redis", "/var/log/redis"), "",
                "test \"$(timeout 3 redis-cli PING)\" = PONG && test \"$(timeout 3 redis-cli SET ug served)\" = OK"
                        + " && test \"$(timeout 3 redis-cli GET ug)\" = served"
                        + " && test \"$(timeout 3 redis-cli SAVE)\" = OK",
                List.of("/run/redis", "/run/redis/redis-server.pid"),
                candidates("/usr/bin/redis-server", "/etc/redis/redis.conf", "/var/lib/redis /var/log/redis",
                        List.of()));
    }

    static Daemon memcached() {
        // the wrapper is a Perl script: its interpreter must be executable too
        return new Daemon("memcached", "memcached.service", List.of("memcached"), List.of("memcache"),
                List.of("/etc/memcached.conf"), "",
                // as configured (memcached without its configuration serves too, as root on every address), and
                // set ug 0 0 2 / ok / get ug -> STORED, VALUE ug 0 2
                "test \"$(ps -o user= -p $(systemctl show -P MainPID memcached.service))\" = memcache && "
                        + PYTHON_TCP + "11211 " + hex("set ug 0 0 2\r\nok\r\nget ug\r\n") + " "
                        + hex("STORED\r\nVALUE ug 0 2\r\nok\r\n"),
                List.of("/run/memcached"),
                // Debian's unit has ProtectSystem=full, which mounts /usr again without the candidate's noexec: the
                // loader stays executable and memcached serves; static and probe both see it
                candidates("/usr/share/memcached/scripts/systemd-memcached-wrapper",
                        "/etc/memcached.conf", "/var/log", List.of("/usr/bin/perl", "/usr/bin/memcached")));
    }

    static Daemon mosquitto() {
        return new Daemon("mosquitto", "mosquitto.service", List.of("mosquitto"), List.of("mosquitto"),
                List.of("/etc/mosquitto", "/var/lib/mosquitto"), "",
                // as configured (without its configuration it serves too, but writes no pid file), and an MQTT 3.1.1
                // CONNECT with a clean session and an empty client id -> CONNACK, accepted
                "test \"$(cat /run/mosquitto/mosquitto.pid)\" = \"$(systemctl show -P MainPID mosquitto.service)\" && "
                        + PYTHON_TCP + "1883 100c00044d5154540402003c0000 20020000",
                List.of("/run/mosquitto", "/run/mosquitto/mosquitto.pid"),
                candidates("/usr/sbin/mosquitto", "/etc/mosquitto/mosquitto.conf",
                        "/var/log/mosquitto /run/mosquitto /var/lib/mosquitto", List.of("/bin/mkdir", "/bin/chown")));
    }

    static Daemon lighttpd() {
        // port 8080: nginx has 80; a page of its own to serve
        return new Daemon("lighttpd", "lighttpd.service", List.of("lighttpd"), List.of("www-data"),
                List.of("/etc/lighttpd", "/etc/mime.types", "/var/log/lighttpd", "/var/cache/lighttpd", "/var/www"),
                "sed -i 's/^server.port.*/server.port = 8080/' /etc/lighttpd/lighttpd.conf"
                        + " && echo 'served by lighttpd' > /var/www/html/lighttpd.html",
                "curl -sf --max-time 2 http://127.0.0.1:8080/lighttpd.html | grep -q 'served by lighttpd'",
                List.of("/run/lighttpd.pid"),
                // its include_shell scripts are in the manifest: the probe sees them on the noexec mount
                candidates("/usr/sbin/lighttpd", "/etc/lighttpd", "/run /var/log/lighttpd",
                        List.of("/usr/bin/perl")));
    }

    static Daemon ssh() {
        return new Daemon("ssh", "ssh.service", List.of("openssh-server"), List.of("sshd"),
                List.of("/etc/ssh"), "",
                "ssh-keyscan -T 2 -t ed25519 127.0.0.1 2>/dev/null | grep -q ssh-ed25519",
                List.of("/run/sshd", "/run/sshd.pid"),
                candidates("/usr/sbin/sshd", "/etc/ssh", "/run", List.of()));
    }

    /**
     * The candidates every daemon is tried with, from strict to loose.
     *
     * @param binary   the program of {@code ExecStart=}
     * @param config   its configuration (file or directory), hidden by one candidate
     * @param writable what it writes, for {@code ReadWritePaths=}
     * @param programs other programs its unit runs (interpreters, {@code ExecStartPre=} commands)
     */
    static List<Candidate> candidates(String binary, String config, String writable, List<String> programs) {
        String execs = String.join(" ", programs);
        List<Candidate> c = new ArrayList<>();
        c.add(Candidate.of("strict, nothing writable", "ProtectSystem=strict", "ReadWritePaths="));
        c.add(Candidate.of("strict with its paths, home, tmp, devices", "ProtectSystem=strict",
                "ReadWritePaths=", "ReadWritePaths=" + writable, "ProtectHome=yes", "PrivateTmp=yes",
                "PrivateDevices=yes"));
        c.add(Candidate.of("strict with its paths", "ProtectSystem=strict", "ReadWritePaths=",
                "ReadWritePaths=" + writable));
        c.add(Candidate.of("configuration hidden", "InaccessiblePaths=" + config));
        c.add(Candidate.of("/var empty", "TemporaryFileSystem=/var:ro"));
        c.add(Candidate.of("/var/log read-only", "ReadOnlyPaths=/var/log"));
        c.add(Candidate.of("exec: its binary only", "NoExecPaths=/", "ExecPaths=", "ExecPaths=" + binary
                + (execs.isEmpty() ? "" : " " + execs)));
        c.add(Candidate.of("exec: binary and libraries", "NoExecPaths=/", "ExecPaths=", "ExecPaths=" + binary
                + (execs.isEmpty() ? "" : " " + execs) + " /usr/lib /lib /usr/lib64 /lib64"));
        c.add(Candidate.of("no network", "PrivateNetwork=yes"));
        c.add(Candidate.of("inet and unix only", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"));
        c.add(Candidate.of("kernel and proc", "ProtectKernelTunables=yes", "ProtectKernelModules=yes",
                "ProtectKernelLogs=yes", "ProtectControlGroups=yes", "ProtectClock=yes", "ProtectHostname=yes",
                "ProtectProc=invisible"));
        c.add(Candidate.of("full, home, tmp", "ProtectSystem=full", "ProtectHome=yes", "PrivateTmp=yes"));
        return c;
    }

    private static String hex(String text) {
        StringBuilder hex = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
