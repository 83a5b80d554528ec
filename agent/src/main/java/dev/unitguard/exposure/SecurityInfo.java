package dev.unitguard.exposure;

import dev.unitguard.unit.AddressFamilyFilter;
import dev.unitguard.unit.SyscallFilter;
import dev.unitguard.unit.SystemdTables;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * What {@code systemd-analyze security --offline} reads from a loaded unit (systemd's {@code SecurityInfo}), after
 * the unit's assignments were applied in order and systemd's load-time implications were added. Filled by
 * {@link SecurityInfoReader}, read by the checks of {@link SecurityChecks}; never leaves this package.
 */
final class SecurityInfo {

    /** All namespace types may be created: RestrictNamespaces= was never assigned. */
    static final long NAMESPACE_FLAGS_INITIAL = -1L;
    static final long CAP_ALL = dev.unitguard.unit.CapabilitySet.ALL;

    /** The release's system call groups and numbers, which SystemCallFilter= is read with. */
    SystemdTables tables = SystemdTables.get();

    String id;
    boolean defaultDependencies = true;

    long ambientCapabilities;
    long capabilityBoundingSet = CAP_ALL;

    String user;
    final List<String> supplementaryGroups = new ArrayList<>();
    boolean dynamicUser;

    boolean ipAddressDenyAll;
    boolean ipAddressAllowLocalhost;
    boolean ipAddressAllowOther;
    boolean ipIngressFilter;
    boolean ipEgressFilter;
    final List<SecurityIpPrefixes.Prefix> denyPrefixes = new ArrayList<>();

    String keyringMode = "private";
    String protectProc = "default";
    String procSubset = "all";
    boolean lockPersonality;
    boolean memoryDenyWriteExecute;
    boolean noNewPrivileges;
    String notifyAccess = "none";
    boolean protectHostname;

    boolean privateDevices;
    boolean privateMounts;
    boolean privateNetwork;
    boolean privateTmp;
    boolean privateUsers;

    boolean protectControlGroups;
    boolean protectKernelModules;
    boolean protectKernelTunables;
    boolean protectKernelLogs;
    boolean protectClock;

    String protectHome = "no";
    String protectSystem = "no";

    boolean removeIpc;

    /** RestrictAddressFamilies=: null when unrestricted. */
    AddressFamilyFilter addressFamilies;

    long restrictNamespaces = NAMESPACE_FLAGS_INITIAL;
    boolean restrictRealtime;
    boolean restrictSuidSgid;

    String rootDirectory;
    String rootImage;
    boolean mountImages;

    boolean delegate;
    String devicePolicy = "auto";
    /** DeviceAllow= entries as {@code path:rwm}, newest first (systemd prepends them to its list). */
    final List<String> deviceAllow = new ArrayList<>();

    final Set<String> systemCallArchitectures = new LinkedHashSet<>();

    /** SystemCallFilter=: null when never assigned since the last reset. */
    SyscallFilter systemCallFilter;

    int umask = 0022;

    void addDeviceAllow(String path, String access) {
        String rights = (access.indexOf('r') >= 0 ? "r" : "") + (access.indexOf('w') >= 0 ? "w" : "")
                + (access.indexOf('m') >= 0 ? "m" : "");
        deviceAllow.add(0, path + ":" + rights);
    }

    boolean runsPrivileged() {
        if ("0".equals(user) || "root".equals(user)) {
            return true;
        }
        if (dynamicUser) {
            return false;
        }
        return user == null || user.isEmpty();
    }

    /**
     * RestrictAddressFamilies= as systemd's checks see it: whether the families of one kind are restricted, that is,
     * listed in a deny list, or (none of them) missing from an allow list.
     */
    boolean addressFamiliesRestricted(IntPredicate kind) {
        if (addressFamilies == null) {
            return false;
        }
        boolean listed = addressFamilies.families().stream().anyMatch(kind::test);
        return listed != addressFamilies.allowList();
    }
}
