package dev.unitguard.probe;

import java.util.Map;

/** systemd 252's exit status names ({@code src/basic/exit-status.c}, systemd.exec(5) "Process Exit Codes"). */
final class ExitStatuses {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "SUCCESS"), Map.entry(1, "FAILURE"), Map.entry(2, "INVALIDARGUMENT"),
            Map.entry(3, "NOTIMPLEMENTED"), Map.entry(4, "NOPERMISSION"), Map.entry(5, "NOTINSTALLED"),
            Map.entry(6, "NOTCONFIGURED"), Map.entry(7, "NOTRUNNING"), Map.entry(64, "USAGE"),
            Map.entry(65, "DATAERR"), Map.entry(66, "NOINPUT"), Map.entry(67, "NOUSER"), Map.entry(68, "NOHOST"),
            Map.entry(69, "UNAVAILABLE"), Map.entry(70, "SOFTWARE"), Map.entry(71, "OSERR"),
            Map.entry(72, "OSFILE"), Map.entry(73, "CANTCREAT"), Map.entry(74, "IOERR"), Map.entry(75, "TEMPFAIL"),
            Map.entry(76, "PROTOCOL"), Map.entry(77, "NOPERM"), Map.entry(78, "CONFIG"),
            Map.entry(200, "CHDIR"), Map.entry(201, "NICE"), Map.entry(202, "FDS"), Map.entry(203, "EXEC"),
            Map.entry(204, "MEMORY"), Map.entry(205, "LIMITS"), Map.entry(206, "OOM_ADJUST"),
            Map.entry(207, "SIGNAL_MASK"), Map.entry(208, "STDIN"), Map.entry(209, "STDOUT"),
            Map.entry(210, "CHROOT"), Map.entry(211, "IOPRIO"), Map.entry(212, "TIMERSLACK"),
            Map.entry(213, "SECUREBITS"), Map.entry(214, "SETSCHEDULER"), Map.entry(215, "CPUAFFINITY"),
            Map.entry(216, "GROUP"), Map.entry(217, "USER"), Map.entry(218, "CAPABILITIES"),
            Map.entry(219, "CGROUP"), Map.entry(220, "SETSID"), Map.entry(221, "CONFIRM"),
            Map.entry(222, "STDERR"), Map.entry(224, "PAM"), Map.entry(225, "NETWORK"),
            Map.entry(226, "NAMESPACE"), Map.entry(227, "NO_NEW_PRIVILEGES"), Map.entry(228, "SECCOMP"),
            Map.entry(229, "SELINUX_CONTEXT"), Map.entry(230, "PERSONALITY"), Map.entry(231, "APPARMOR_PROFILE"),
            Map.entry(232, "ADDRESS_FAMILIES"), Map.entry(233, "RUNTIME_DIRECTORY"), Map.entry(235, "CHOWN"),
            Map.entry(236, "SMACK_PROCESS_LABEL"), Map.entry(237, "KEYRING"), Map.entry(238, "STATE_DIRECTORY"),
            Map.entry(239, "CACHE_DIRECTORY"), Map.entry(240, "LOGS_DIRECTORY"),
            Map.entry(241, "CONFIGURATION_DIRECTORY"), Map.entry(242, "NUMA_POLICY"),
            Map.entry(243, "CREDENTIALS"), Map.entry(245, "BPF"));

    private ExitStatuses() {
    }

    /** The name of an exit status, or null for one systemd has no name for. */
    static String name(int status) {
        return NAMES.get(status);
    }
}
