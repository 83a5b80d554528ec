package dev.unitguard.exposure;

import dev.unitguard.unit.CapabilitySet;
import dev.unitguard.exposure.SecurityCheck.Assessment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The checks of {@code systemd-analyze security} in systemd 252, in one declarative table as systemd keeps them
 * (src/analyze/analyze-security.c): id, JSON field, descriptions, weight, range and assess function. Ids, weights
 * and descriptions were checked against the systemd 252 binary by the differential test.
 */
final class SecurityChecks {


    static final List<SecurityCheck> ALL = table();

    private SecurityChecks() {
    }

    private static List<SecurityCheck> table() {
        List<SecurityCheck> t = new ArrayList<>();
        t.add(new SecurityCheck("User=/DynamicUser=", "UserOrDynamicUser", null, "Service runs as root user", null,
                2000, 10, false, SecurityAssessments::user));
        t.add(new SecurityCheck("SupplementaryGroups=", "SupplementaryGroups", "Service has no supplementary groups",
                "Service runs with supplementary groups", "Service runs as root, option does not matter", 200, 1, false,
                (i, c) -> i.runsPrivileged() ? Assessment.notApplicable() : Assessment.of(i.supplementaryGroups.isEmpty() ? 0 : 1)));
        t.add(bool("PrivateDevices", "Service has no access to hardware devices",
                "Service potentially has access to hardware devices", 1000, i -> i.privateDevices));
        t.add(bool("PrivateMounts", "Service cannot install system mounts", "Service may install system mounts", 1000,
                i -> i.privateMounts));
        t.add(bool("PrivateNetwork", "Service has no access to the host's network",
                "Service has access to the host's network", 2500, i -> i.privateNetwork));
        t.add(new SecurityCheck("PrivateTmp=", "PrivateTmp", "Service has no access to other software's temporary files",
                "Service has access to other software's temporary files", null, 1000, 1, true,
                (i, c) -> Assessment.of(i.privateTmp ? 0 : 1)));
        t.add(bool("PrivateUsers", "Service does not have access to other users", "Service has access to other users",
                1000, i -> i.privateUsers));
        t.add(bool("ProtectControlGroups", "Service cannot modify the control group file system",
                "Service may modify the control group file system", 1000, i -> i.protectControlGroups));
        t.add(bool("ProtectKernelModules", "Service cannot load or read kernel modules",
                "Service may load or read kernel modules", 1000, i -> i.protectKernelModules));
        t.add(bool("ProtectKernelTunables", "Service cannot alter kernel tunables (/proc/sys, …)",
                "Service may alter kernel tunables", 1000, i -> i.protectKernelTunables));
        t.add(bool("ProtectKernelLogs", "Service cannot read from or write to the kernel log ring buffer",
                "Service may read from or write to the kernel log ring buffer", 1000, i -> i.protectKernelLogs));
        t.add(bool("ProtectClock", "Service cannot write to the hardware clock or system clock",
                "Service may write to the hardware clock or system clock", 1000, i -> i.protectClock));
        t.add(new SecurityCheck("ProtectHome=", "ProtectHome", null, null, null, 1000, 10, true,
                SecurityAssessments::protectHome));
        t.add(bool("ProtectHostname", "Service cannot change system host/domainname",
                "Service may change system host/domainname", 50, i -> i.protectHostname));
        t.add(new SecurityCheck("ProtectSystem=", "ProtectSystem", null, null, null, 1000, 10, true,
                SecurityAssessments::protectSystem));
        t.add(new SecurityCheck("RootDirectory=/RootImage=", "RootDirectoryOrRootImage",
                "Service has its own root directory/image", "Service runs within the host's root directory", null,
                200, 1, true, (i, c) -> Assessment.of(SecurityAssessments.emptyOrRoot(i.rootDirectory)
                        && SecurityAssessments.emptyOrRoot(i.rootImage) ? 1 : 0)));
        t.add(bool("LockPersonality", "Service cannot change ABI personality", "Service may change ABI personality", 100,
                i -> i.lockPersonality));
        t.add(bool("MemoryDenyWriteExecute", "Service cannot create writable executable memory mappings",
                "Service may create writable executable memory mappings", 100, i -> i.memoryDenyWriteExecute));
        t.add(bool("NoNewPrivileges", "Service processes cannot acquire new privileges",
                "Service processes may acquire new privileges", 1000, i -> i.noNewPrivileges));
        capabilities(t);
        t.add(new SecurityCheck("UMask=", "UMask", null, null, null, 100, 10, false, SecurityAssessments::umask));
        t.add(new SecurityCheck("KeyringMode=", "KeyringMode", "Service doesn't share key material with other services",
                "Service shares key material with other service", null, 1000, 1, false,
                (i, c) -> Assessment.of(i.keyringMode.equals("private") ? 0 : 1)));
        t.add(new SecurityCheck("ProtectProc=", "ProtectProc",
                "Service has restricted access to process tree (/proc hidepid=)",
                "Service has full access to process tree (/proc hidepid=)", null, 1000, 3, false,
                SecurityAssessments::protectProc));
        t.add(new SecurityCheck("ProcSubset=", "ProcSubset",
                "Service has no access to non-process /proc files (/proc subset=)",
                "Service has full access to non-process /proc files (/proc subset=)", null, 10, 1, false,
                (i, c) -> Assessment.of(i.procSubset.equals("pid") ? 0 : 1)));
        t.add(new SecurityCheck("NotifyAccess=", "NotifyAccess", "Service child processes cannot alter service state",
                "Service child processes may alter service state", null, 1000, 1, false,
                (i, c) -> Assessment.of(i.notifyAccess.equals("all") ? 1 : 0)));
        t.add(new SecurityCheck("RemoveIPC=", "RemoveIPC", "Service user cannot leave SysV IPC objects around",
                "Service user may leave SysV IPC objects around", "Service runs as root, option does not apply", 100, 1,
                false, (i, c) -> i.runsPrivileged() ? Assessment.notApplicable() : Assessment.of(i.removeIpc ? 0 : 1)));
        t.add(new SecurityCheck("Delegate=", "Delegate", "Service does not maintain its own delegated control group subtree",
                "Service maintains its own delegated control group subtree", null, 100, 1, false,
                (i, c) -> Assessment.of(i.delegate ? 1 : 0)));
        t.add(bool("RestrictRealtime", "Service realtime scheduling access is restricted",
                "Service may acquire realtime scheduling", 500, i -> i.restrictRealtime));
        t.add(bool("RestrictSUIDSGID", "SUID/SGID file creation by service is restricted",
                "Service may create SUID/SGID files", 1000, i -> i.restrictSuidSgid));
        namespaces(t);
        addressFamilies(t);
        t.add(new SecurityCheck("SystemCallArchitectures=", "SystemCallArchitectures", null, null, null, 1000, 10, false,
                SecurityAssessments::systemCallArchitectures));
        for (String group : List.of("@swap", "@obsolete", "@clock", "@cpu-emulation", "@debug", "@mount", "@module",
                "@raw-io", "@reboot", "@privileged", "@resources")) {
            int weight = switch (group) {
                case "@obsolete", "@cpu-emulation" -> 250;
                case "@privileged", "@resources" -> 700;
                default -> 1000;
            };
            t.add(new SecurityCheck("SystemCallFilter=~" + group,
                    "SystemCallFilter_" + group.substring(1).replace('-', '_'), null, null, null, weight, 10, false,
                    (i, c) -> SecurityAssessments.systemCallFilter(i, group)));
        }
        t.add(new SecurityCheck("IPAddressDeny=", "IPAddressDeny", null, null, null, 1000, 10, false,
                SecurityAssessments::ipAddressDeny));
        t.add(new SecurityCheck("DeviceAllow=", "DeviceAllow", null, null, null, 1000, 10, false,
                SecurityAssessments::deviceAllow));
        t.add(new SecurityCheck("AmbientCapabilities=", "AmbientCapabilities",
                "Service process does not receive ambient capabilities", "Service process receives ambient capabilities",
                null, 500, 1, false, (i, c) -> Assessment.of(i.ambientCapabilities != 0 ? 1 : 0)));
        return List.copyOf(t);
    }

    private static void capabilities(List<SecurityCheck> t) {
        cap(t, "CAP_SYS_ADMIN", "CAP_SYS_ADMIN", "Service has no administrator privileges",
                "Service has administrator privileges", 1500, "cap_sys_admin");
        cap(t, "CAP_SET(UID|GID|PCAP)", "CAP_SET_UID_GID_PCAP", "Service cannot change UID/GID identities/capabilities",
                "Service may change UID/GID identities/capabilities", 1500, "cap_setuid", "cap_setgid", "cap_setpcap");
        cap(t, "CAP_SYS_PTRACE", "CAP_SYS_PTRACE", "Service has no ptrace() debugging abilities",
                "Service has ptrace() debugging abilities", 1500, "cap_sys_ptrace");
        cap(t, "CAP_SYS_TIME", "CAP_SYS_TIME", "Service processes cannot change the system clock",
                "Service processes may change the system clock", 1000, "cap_sys_time");
        cap(t, "CAP_NET_ADMIN", "CAP_NET_ADMIN", "Service has no network configuration privileges",
                "Service has network configuration privileges", 1000, "cap_net_admin");
        cap(t, "CAP_SYS_RAWIO", "CAP_SYS_RAWIO", "Service has no raw I/O access", "Service has raw I/O access", 1000,
                "cap_sys_rawio");
        cap(t, "CAP_SYS_MODULE", "CAP_SYS_MODULE", "Service cannot load kernel modules", "Service may load kernel modules",
                1000, "cap_sys_module");
        cap(t, "CAP_AUDIT_*", "CAP_AUDIT", "Service has no audit subsystem access", "Service has audit subsystem access",
                500, "cap_audit_control", "cap_audit_read", "cap_audit_write");
        cap(t, "CAP_SYSLOG", "CAP_SYSLOG", "Service has no access to kernel logging", "Service has access to kernel logging",
                500, "cap_syslog");
        cap(t, "CAP_SYS_(NICE|RESOURCE)", "CAP_SYS_NICE_RESOURCE",
                "Service has no privileges to change resource use parameters",
                "Service has privileges to change resource use parameters", 500, "cap_sys_nice", "cap_sys_resource");
        cap(t, "CAP_MKNOD", "CAP_MKNOD", "Service cannot create device nodes", "Service may create device nodes", 500,
                "cap_mknod");
        cap(t, "CAP_(CHOWN|FSETID|SETFCAP)", "CAP_CHOWN_FSETID_SETFCAP",
                "Service cannot change file ownership/access mode/capabilities",
                "Service may change file ownership/access mode/capabilities unrestricted", 1000, "cap_chown",
                "cap_fsetid", "cap_setfcap");
        cap(t, "CAP_(DAC_*|FOWNER|IPC_OWNER)", "CAP_DAC_FOWNER_IPC_OWNER",
                "Service cannot override UNIX file/IPC permission checks",
                "Service may override UNIX file/IPC permission checks", 1000, "cap_dac_override", "cap_dac_read_search",
                "cap_fowner", "cap_ipc_owner");
        cap(t, "CAP_KILL", "CAP_KILL", "Service cannot send UNIX signals to arbitrary processes",
                "Service may send UNIX signals to arbitrary processes", 500, "cap_kill");
        // systemd 252 spells this JSON field with a stray ')'.
        cap(t, "CAP_NET_(BIND_SERVICE|BROADCAST|RAW)", "CAP_NET_BIND_SERVICE_BROADCAST_RAW)",
                "Service has no elevated networking privileges", "Service has elevated networking privileges", 500,
                "cap_net_bind_service", "cap_net_broadcast", "cap_net_raw");
        cap(t, "CAP_SYS_BOOT", "CAP_SYS_BOOT", "Service cannot issue reboot()", "Service may issue reboot()", 100,
                "cap_sys_boot");
        cap(t, "CAP_MAC_*", "CAP_MAC", "Service cannot adjust SMACK MAC", "Service may adjust SMACK MAC", 100,
                "cap_mac_admin", "cap_mac_override");
        cap(t, "CAP_LINUX_IMMUTABLE", "CAP_LINUX_IMMUTABLE", "Service cannot mark files immutable",
                "Service may mark files immutable", 75, "cap_linux_immutable");
        cap(t, "CAP_IPC_LOCK", "CAP_IPC_LOCK", "Service cannot lock memory into RAM", "Service may lock memory into RAM",
                50, "cap_ipc_lock");
        cap(t, "CAP_SYS_CHROOT", "CAP_SYS_CHROOT", "Service cannot issue chroot()", "Service may issue chroot()", 50,
                "cap_sys_chroot");
        cap(t, "CAP_BLOCK_SUSPEND", "CAP_BLOCK_SUSPEND", "Service cannot establish wake locks",
                "Service may establish wake locks", 25, "cap_block_suspend");
        cap(t, "CAP_WAKE_ALARM", "CAP_WAKE_ALARM", "Service cannot program timers that wake up the system",
                "Service may program timers that wake up the system", 25, "cap_wake_alarm");
        cap(t, "CAP_LEASE", "CAP_LEASE", "Service cannot create file leases", "Service may create file leases", 25,
                "cap_lease");
        cap(t, "CAP_SYS_TTY_CONFIG", "CAP_SYS_TTY_CONFIG", "Service cannot issue vhangup()", "Service may issue vhangup()",
                25, "cap_sys_tty_config");
        cap(t, "CAP_SYS_PACCT", "CAP_SYS_PACCT", "Service cannot use acct()", "Service may use acct()", 25,
                "cap_sys_pacct");
        cap(t, "CAP_BPF", "CAP_BPF", "Service may not load BPF programs", "Service may load BPF programs", 25, "cap_bpf");
    }

    private static void namespaces(List<SecurityCheck> t) {
        ns(t, "user", "Service cannot create user namespaces", "Service may create user namespaces", 1500,
                SecurityNamespaces.CLONE_NEWUSER);
        ns(t, "mnt", "Service cannot create file system namespaces", "Service may create file system namespaces", 500,
                SecurityNamespaces.CLONE_NEWNS);
        ns(t, "ipc", "Service cannot create IPC namespaces", "Service may create IPC namespaces", 500,
                SecurityNamespaces.CLONE_NEWIPC);
        ns(t, "pid", "Service cannot create process namespaces", "Service may create process namespaces", 500,
                SecurityNamespaces.CLONE_NEWPID);
        ns(t, "cgroup", "Service cannot create cgroup namespaces", "Service may create cgroup namespaces", 500,
                SecurityNamespaces.CLONE_NEWCGROUP);
        ns(t, "net", "Service cannot create network namespaces", "Service may create network namespaces", 500,
                SecurityNamespaces.CLONE_NEWNET);
        ns(t, "uts", "Service cannot create hostname namespaces", "Service may create hostname namespaces", 100,
                SecurityNamespaces.CLONE_NEWUTS);
    }

    private static void addressFamilies(List<SecurityCheck> t) {
        af(t, "AF_(INET|INET6)", "AF_INET_INET6", "Internet", 1500, f -> f == 2 || f == 10);
        af(t, "AF_UNIX", "AF_UNIX", "local", 25, f -> f == 1);
        af(t, "AF_NETLINK", "AF_NETLINK", "netlink", 200, f -> f == 16);
        af(t, "AF_PACKET", "AF_PACKET", "packet", 1000, f -> f == 17);
        af(t, "…", "OTHER", "exotic", 1250, f -> f != 1 && f != 2 && f != 10 && f != 16 && f != 17);
    }

    private static SecurityCheck bool(String setting, String good, String bad, int weight, Predicate<SecurityInfo> on) {
        return new SecurityCheck(setting + "=", setting, good, bad, null, weight, 1, false,
                (i, c) -> Assessment.of(on.test(i) ? 0 : 1));
    }

    private static void cap(List<SecurityCheck> t, String id, String json, String good, String bad, int weight,
                            String... caps) {
        long mask = 0;
        for (String cap : caps) {
            mask |= CapabilitySet.bit(cap);
        }
        long bits = mask;
        t.add(new SecurityCheck("CapabilityBoundingSet=~" + id, "CapabilityBoundingSet_" + json, good, bad, null, weight,
                1, false, (i, c) -> Assessment.of((i.capabilityBoundingSet & bits) != 0 ? 1 : 0)));
    }

    private static void ns(List<SecurityCheck> t, String name, String good, String bad, int weight, long flag) {
        t.add(new SecurityCheck("RestrictNamespaces=~" + name, "RestrictNamespaces_" + name, good, bad, null, weight, 1,
                false, (i, c) -> Assessment.of((i.restrictNamespaces & flag) != 0 ? 1 : 0)));
    }

    private static void af(List<SecurityCheck> t, String id, String json, String kind, int weight, IntPredicate family) {
        t.add(new SecurityCheck("RestrictAddressFamilies=~" + id, "RestrictAddressFamilies_" + json,
                "Service cannot allocate " + kind + " sockets", "Service may allocate " + kind + " sockets", null, weight,
                1, false, (i, c) -> Assessment.of(i.addressFamiliesRestricted(family) ? 0 : 1)));
    }
}
