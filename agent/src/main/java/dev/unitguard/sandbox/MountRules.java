package dev.unitguard.sandbox;

import static dev.unitguard.sandbox.MountMode.BIND_DEV;
import static dev.unitguard.sandbox.MountMode.INACCESSIBLE;
import static dev.unitguard.sandbox.MountMode.MQUEUEFS;
import static dev.unitguard.sandbox.MountMode.PRIVATE_DEV;
import static dev.unitguard.sandbox.MountMode.PRIVATE_TMP;
import static dev.unitguard.sandbox.MountMode.PROCFS;
import static dev.unitguard.sandbox.MountMode.READONLY;
import static dev.unitguard.sandbox.MountMode.READWRITE;
import static dev.unitguard.sandbox.MountMode.READWRITE_IMPLICIT;
import static dev.unitguard.sandbox.MountMode.RUN;
import static dev.unitguard.sandbox.MountMode.SYSFS;
import static dev.unitguard.sandbox.MountMode.TMPFS;

import dev.unitguard.unit.SystemdVersion;
import java.util.List;
import java.util.Map;

/**
 * The directive to mount-entry rules, as the tables of systemd 252's {@code src/core/namespace.c} and
 * {@code compile_bind_mounts()} in {@code src/core/execute.c}.
 */
final class MountRules {

    private MountRules() {
    }

    /** One fixed entry: path, mode, ignored when missing, tmpfs mode (or -1), read-only flag. */
    record Fixed(String path, MountMode mode, boolean ignore, int dirMode, boolean readOnly) {
        static Fixed of(String path, MountMode mode, boolean ignore) {
            return new Fixed(path, mode, ignore, -1, false);
        }
    }

    /** Path-list settings: each word is {@code [-][+]/path}. */
    record PathList(String key, MountMode mode) {
    }

    /** Exec directories: setting, the prefix, the mode setting, whether User=/Group= own it, private for DynamicUser. */
    record ExecDirectory(String key, String prefix, String modeKey, boolean owned, boolean privateForDynamicUser) {
    }

    static final List<PathList> PATH_LISTS = List.of(
            new PathList("ReadWritePaths", READWRITE),
            new PathList("ReadOnlyPaths", READONLY),
            new PathList("InaccessiblePaths", INACCESSIBLE),
            new PathList("ExecPaths", MountMode.EXEC),
            new PathList("NoExecPaths", MountMode.NOEXEC));

    static final List<ExecDirectory> EXEC_DIRECTORIES = List.of(
            new ExecDirectory("RuntimeDirectory", "/run", "RuntimeDirectoryMode", true, false),
            new ExecDirectory("StateDirectory", "/var/lib", "StateDirectoryMode", true, true),
            new ExecDirectory("CacheDirectory", "/var/cache", "CacheDirectoryMode", true, true),
            new ExecDirectory("LogsDirectory", "/var/log", "LogsDirectoryMode", true, true),
            new ExecDirectory("ConfigurationDirectory", "/etc", "ConfigurationDirectoryMode", true, false));

    /** Fixed tables, keyed by the directive and value that brings them in. */
    static final Map<String, List<Fixed>> FIXED = Map.ofEntries(
            Map.entry("ProtectSystem=yes", List.of(
                    Fixed.of("/usr", READONLY, false), Fixed.of("/boot", READONLY, true),
                    Fixed.of("/efi", READONLY, true))),
            Map.entry("ProtectSystem=full", List.of(
                    Fixed.of("/usr", READONLY, false), Fixed.of("/boot", READONLY, true),
                    Fixed.of("/efi", READONLY, true), Fixed.of("/etc", READONLY, false))),
            Map.entry("ProtectSystem=strict", List.of(
                    Fixed.of("/", READONLY, false), Fixed.of("/proc", READWRITE_IMPLICIT, false),
                    Fixed.of("/sys", READWRITE_IMPLICIT, false), Fixed.of("/dev", READWRITE_IMPLICIT, false),
                    Fixed.of("/home", READWRITE_IMPLICIT, true), Fixed.of("/run/user", READWRITE_IMPLICIT, true),
                    Fixed.of("/root", READWRITE_IMPLICIT, true))),
            Map.entry("ProtectHome=yes", List.of(
                    Fixed.of("/home", INACCESSIBLE, true), Fixed.of("/run/user", INACCESSIBLE, true),
                    Fixed.of("/root", INACCESSIBLE, true))),
            Map.entry("ProtectHome=read-only", List.of(
                    Fixed.of("/home", READONLY, true), Fixed.of("/run/user", READONLY, true),
                    Fixed.of("/root", READONLY, true))),
            // systemd 252 (Debian 252.39) mounts these without their options: writable, mode 1777 (seen in the lab;
            // the documented read-only 0755/0700 tmpfs came later: HOME_TMPFS_SINCE_257)
            Map.entry("ProtectHome=tmpfs", List.of(
                    new Fixed("/home", TMPFS, true, 01777, false), new Fixed("/run/user", TMPFS, true, 01777, false),
                    new Fixed("/root", TMPFS, true, 01777, false))),
            Map.entry("ProtectKernelTunables=yes", List.of(
                    Fixed.of("/proc/acpi", READONLY, true), Fixed.of("/proc/apm", READONLY, true),
                    Fixed.of("/proc/asound", READONLY, true), Fixed.of("/proc/bus", READONLY, true),
                    Fixed.of("/proc/fs", READONLY, true), Fixed.of("/proc/irq", READONLY, true),
                    Fixed.of("/proc/kallsyms", INACCESSIBLE, true), Fixed.of("/proc/kcore", INACCESSIBLE, true),
                    Fixed.of("/proc/latency_stats", READONLY, true), Fixed.of("/proc/mtrr", READONLY, true),
                    Fixed.of("/proc/scsi", READONLY, true), Fixed.of("/proc/sys", READONLY, true),
                    Fixed.of("/proc/sysrq-trigger", READONLY, true), Fixed.of("/proc/timer_stats", READONLY, true),
                    Fixed.of("/sys", READONLY, false), Fixed.of("/sys/fs/bpf", READONLY, true),
                    Fixed.of("/sys/fs/cgroup", READWRITE_IMPLICIT, false),
                    Fixed.of("/sys/fs/selinux", READWRITE_IMPLICIT, true),
                    Fixed.of("/sys/kernel/debug", READONLY, true), Fixed.of("/sys/kernel/tracing", READONLY, true))),
            Map.entry("ProtectKernelModules=yes", List.of(
                    Fixed.of("/lib/modules", INACCESSIBLE, true), Fixed.of("/usr/lib/modules", INACCESSIBLE, true))),
            Map.entry("ProtectKernelLogs=yes", List.of(
                    Fixed.of("/proc/kmsg", INACCESSIBLE, true), Fixed.of("/dev/kmsg", INACCESSIBLE, true))),
            Map.entry("ProtectControlGroups=yes", List.of(Fixed.of("/sys/fs/cgroup", READONLY, false))),
            Map.entry("ProtectHostname=yes", List.of(
                    Fixed.of("/proc/sys/kernel/hostname", READONLY, false),
                    Fixed.of("/proc/sys/kernel/domainname", READONLY, false))),
            Map.entry("PrivateDevices=yes", List.of(new Fixed("/dev", PRIVATE_DEV, false, 0755, false))),
            Map.entry("PrivateTmp=yes", List.of(
                    new Fixed("/tmp", PRIVATE_TMP, false, 01777, false),
                    new Fixed("/var/tmp", PRIVATE_TMP, false, 01777, false))),
            Map.entry("MountAPIVFS=yes", List.of(
                    Fixed.of("/proc", PROCFS, false), Fixed.of("/dev", BIND_DEV, false),
                    Fixed.of("/sys", SYSFS, false), Fixed.of("/run", RUN, false))),
            Map.entry("PrivateIPC=yes", List.of(Fixed.of("/dev/mqueue", MQUEUEFS, false))));

    /**
     * {@code ProtectHome=tmpfs} from systemd 257 on: the tmpfs carries the options the table of namespace.c gives
     * it, read-only, /root 0700 and the others 0755 (Conformance257IT, Conformance262IT).
     */
    static final List<Fixed> HOME_TMPFS_SINCE_257 = List.of(new Fixed("/home", TMPFS, true, 0755, true),
            new Fixed("/run/user", TMPFS, true, 0755, true), new Fixed("/root", TMPFS, true, 0700, true));

    /** The fixed entries {@code key} brings in under systemd {@code version}. */
    static List<Fixed> fixed(String key, SystemdVersion version) {
        if (key.equals("ProtectHome=tmpfs") && version.compareTo(SystemdVersion.V257) >= 0) {
            return HOME_TMPFS_SINCE_257;
        }
        return FIXED.getOrDefault(key, List.of());
    }

    /** The device nodes and directories a private /dev ({@code PrivateDevices=yes}) holds. */
    static final List<String> PRIVATE_DEV_NODES = List.of("null", "zero", "full", "random", "urandom", "tty", "ptmx");
    static final List<String> PRIVATE_DEV_MOUNTS = List.of("pts", "shm", "mqueue", "hugepages");
    static final List<String> PRIVATE_DEV_LINKS = List.of("log", "fd", "stdin", "stdout", "stderr", "char", "core");
}
