package dev.unitguard.unit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Values to try on every directive of {@link DirectiveValues}: a common set that crosses the kinds (every directive
 * gets the booleans, enum names, paths, names and addresses of the others) plus tricky forms: case variants, inner
 * whitespace, empty, {@code ~} forms, unknown names, quoting, escapes, specifiers. None has a control character or a
 * trailing backslash: those are refused before any value check (see {@code DropInDirectivesTest}).
 */
final class ValueSamples {

    private static final List<String> COMMON = List.of(
            "", "yes", "no", "YES", "No", "y", "T", "on", "off", "1", "0", "2", "banana", "perhaps", "yes no",
            "\"yes\"", "'no'", "~", "~~", "strict", "full", "Strict", "stricter", "read-only", "tmpfs", "Tmpfs",
            "noaccess", "invisible", "ptraceable", "default", "all", "pid", "PID", "inherit", "private", "shared",
            "none", "main", "exec", "auto", "closed", "Closed",
            "/srv/app", "/srv/app /var/lib/app", "-/srv/app", "+/srv/app", "-+/srv/app", "+-/srv/app", "--/srv/app",
            "/a/../b", "/..", "/a/./b", "//a//", "rel", "./rel", "a/b", "a/../b", "..", ".", "~/x", "-", "+",
            "\"/a b\"", "'/a' \"/b\"", "\"/a", "/a\\x20b", "%t/app", "%h", "%n", "%Z/x", "/a%%b", "/a:ro",
            "/a:/b", "/a:/b:rbind", "/a:/b:norbind", "/a:/b:ro", "/a:", "-/a:/b", "/a:rel", "a:b", "a:/b", "a:",
            ":a", "/" + "n".repeat(256), "%t/" + "n".repeat(255),
            "@system-service", "~@mount", "@mount @swap", "@System-service", "@nosuchgroup", "read", "READ",
            "~read:EPERM", "~read:eperm", "read:EPERM", "~read:EBOGUS", "~read:0", "~read:4096", "~read:kill",
            "~read:", "~:EPERM", "re\\ad", "\" read\"", "~ @mount", "~~read", "@default",
            "CAP_SYS_ADMIN", "~CAP_SYS_ADMIN CAP_NET_RAW", "cap_chown", "CAP_FOO", "cap_chown CAP_FOO", "12", "99",
            "\"CAP_CHOWN\"", "~ CAP_CHOWN",
            "AF_UNIX AF_INET", "~AF_PACKET", "af_unix", "AF_FOO", "none AF_UNIX",
            "net ipc", "~net", "~ net", "NET", "net bogus", "time", "\"net\"", "cgroup ipc net mnt pid user uts",
            "native", "x86-64 x86", "Native", "mipsel", "mips-le", "loongarch64",
            "EPERM", "eperm", "ECANCELLED", "EDEADLOCK", "kill", "KILL", "4095", "4096", "-1", "+5", "0x5", "010", "09",
            "0022", "022", "7777", "07777", "17777", "0o22", "0 22", "08", "000000000022",
            "any", "ANY", "localhost", "link-local", "multicast", "10.0.0.0/8", "10.0.0.0/33", "01.2.3.4",
            "1.2.3", "::1", "fe80::/10", "::ffff:1.2.3.4", "1::2::3", "1.2.3.4/08", "10.0.0.0/", "1.2.3.4 bogus",
            "tcp:80", "ipv6:udp:1000-2000", "ipv4:tcp:80-79", "tcp:0", "tcp:70000", "TCP:80", "IPv6:UDP:5", "tcp",
            "udp:any", "ipv4", "080", "http", "tcp:80 udp:53",
            "/dev/null rw", "/dev/null", "char-pts r", "block-loop", "/dev/null x", "/dev/sda RW", "foo",
            "/dev/../etc/shadow rw");

    private ValueSamples() {
    }

    /** The values to try on {@code key}: the common set, then a few built from the key itself. */
    static List<String> forDirective(String key) {
        Set<String> values = new LinkedHashSet<>(COMMON);
        values.add(key);
        values.add("~" + key);
        return new ArrayList<>(values);
    }
}
