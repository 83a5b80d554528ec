package dev.unitguard.sandbox;

import dev.unitguard.unit.CapabilitySet;
import dev.unitguard.unit.EffectiveUnit;
import java.util.Locale;

/**
 * Decides capability needs: a service running as root has every capability of its bounding set
 * (CapabilityBoundingSet=, less what PrivateDevices=, ProtectKernelModules=, ProtectKernelLogs= and ProtectClock=
 * drop); any other user has only its ambient ones (AmbientCapabilities=) that the bounding set keeps.
 */
final class CapabilityCheck {

    private final EffectiveUnit unit;
    private final boolean root;
    private final long bounding;
    private final long ambient;

    CapabilityCheck(ServiceSettings settings, boolean root) {
        this.unit = settings.unit();
        this.root = root;
        long drops = CapabilitySet.impliedDrops(settings.privateDevices(), settings.protectKernelModules(),
                settings.protectKernelLogs(), ServiceSettings.bool(unit, "ProtectClock", false));
        this.bounding = CapabilitySet.of(unit, "CapabilityBoundingSet", CapabilitySet.ALL) & ~drops;
        this.ambient = CapabilitySet.of(unit, "AmbientCapabilities", 0);
    }

    /** The verdict for {@code name} ({@code CAP_NET_BIND_SERVICE}), {@code why} the service needs it. */
    NeedVerdict check(String name, String need, String why) {
        String cap = name.toUpperCase(Locale.ROOT);
        if (!CapabilitySet.known(cap)) {
            return NeedVerdict.denied(need, "unknown", cap + " is not a capability systemd knows");
        }
        long bit = CapabilitySet.bit(cap);
        if ((bounding & bit) == 0) {
            String by = droppedBy(bit);
            return NeedVerdict.denied(need, by, why + cap + ", which the bounding set drops (" + by + ")");
        }
        if (root) {
            return NeedVerdict.granted(need, why + cap + ": the service runs as root and its bounding set keeps it");
        }
        if ((ambient & bit) == 0) {
            return NeedVerdict.denied(need, Directives.shown(unit, "AmbientCapabilities"), why + cap
                    + ", but the service does not run as root and AmbientCapabilities= does not grant it");
        }
        return NeedVerdict.granted(need, why + cap + ": granted by AmbientCapabilities= and kept by the bounding set");
    }

    /** The setting that drops {@code bit}: CapabilityBoundingSet= itself, or a setting that implies the drop. */
    private String droppedBy(long bit) {
        if ((CapabilitySet.of(unit, "CapabilityBoundingSet", CapabilitySet.ALL) & bit) == 0) {
            return Directives.shown(unit, "CapabilityBoundingSet");
        }
        String[] keys = {"PrivateDevices", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock"};
        for (int i = 0; i < keys.length; i++) {
            boolean[] one = new boolean[4];
            one[i] = true;
            if (ServiceSettings.bool(unit, keys[i], false)
                    && (CapabilitySet.impliedDrops(one[0], one[1], one[2], one[3]) & bit) != 0) {
                return keys[i] + "=yes";
            }
        }
        return "CapabilityBoundingSet=";
    }
}
