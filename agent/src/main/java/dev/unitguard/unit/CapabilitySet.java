package dev.unitguard.unit;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * CapabilityBoundingSet= and AmbientCapabilities= as systemd's {@code config_parse_capability_set()} merges their
 * assignments: a bit set in capability.h numbering. Read by the exposure score and the sandbox model.
 */
public final class CapabilitySet {

    /** Every capability: the bounding set of a unit that never assigns it. */
    public static final long ALL = -1L;

    private CapabilitySet() {
    }

    /**
     * Applies one assignment to a capability set. An empty list or a set still at its initial value is replaced
     * (so {@code CapabilityBoundingSet=} empties the set and {@code ~} alone fills it); otherwise the listed
     * capabilities are added, or removed after {@code ~}. Unknown names are ignored; a value with unbalanced quotes
     * lists nothing.
     */
    public static long apply(long current, long initial, String value) {
        boolean invert = value.startsWith("~");
        long sum = 0;
        for (String word : words(invert ? value.substring(1) : value)) {
            OptionalInt cap = SystemdTables.get().capability(word);
            if (cap.isPresent()) {
                sum |= 1L << cap.getAsInt();
            }
        }
        if (sum == 0 || current == initial) {
            return invert ? ~sum : sum;
        }
        return invert ? current & ~sum : current | sum;
    }

    /** The set of a unit's {@code [Service]} assignments of {@code key} in order, from {@code initial}. */
    public static long of(EffectiveUnit unit, String key, long initial) {
        long set = initial;
        for (Assignment a : unit.assignments("Service", key)) {
            set = apply(set, initial, a.value().strip());
        }
        return set;
    }

    /** The bit of a capability known to systemd ({@code systemd-analyze capability}), by name in any case. */
    public static long bit(String name) {
        return 1L << SystemdTables.get().capability(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown capability " + name));
    }

    /**
     * What systemd's {@code unit_patch_contexts()} drops from the bounding set for these sandbox settings:
     * CAP_MKNOD and CAP_SYS_RAWIO for PrivateDevices=, CAP_SYS_MODULE for ProtectKernelModules=, CAP_SYSLOG for
     * ProtectKernelLogs=, CAP_SYS_TIME and CAP_WAKE_ALARM for ProtectClock=.
     */
    public static long impliedDrops(boolean privateDevices, boolean protectKernelModules, boolean protectKernelLogs,
                                    boolean protectClock) {
        return (privateDevices ? bit("cap_mknod") | bit("cap_sys_rawio") : 0)
                | (protectKernelModules ? bit("cap_sys_module") : 0) | (protectKernelLogs ? bit("cap_syslog") : 0)
                | (protectClock ? bit("cap_sys_time") | bit("cap_wake_alarm") : 0);
    }

    /** Whether {@code name} is a capability systemd knows. */
    public static boolean known(String name) {
        return SystemdTables.get().capability(name).isPresent();
    }

    /** The names of the bits set, upper case ({@code CAP_NET_BIND_SERVICE}), sorted. */
    public static Set<String> names(long set) {
        Set<String> names = new TreeSet<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((set & (1L << bit)) != 0 && SystemdTables.get().capabilityName(bit).startsWith("cap_")) {
                names.add(SystemdTables.get().capabilityName(bit).toUpperCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static java.util.List<String> words(String value) {
        try {
            return Words.split(value);
        } catch (IllegalArgumentException e) {
            return java.util.List.of();
        }
    }
}
