package dev.unitguard.exposure;

import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.CapabilitySet;
import dev.unitguard.unit.EffectiveUnit;

/**
 * Builds the {@link SecurityInfo} of a unit as a supported systemd does when it loads the unit offline: every
 * assignment in order through its parser ({@link SecurityDirectives}, with the values the release's
 * {@link SecurityProfile} adds), then the implications of {@code unit_patch_contexts()}.
 */
final class SecurityInfoReader {

    private SecurityInfoReader() {
    }

    /** Reads the unit; throws {@link SecurityAssessmentException} for a setting that makes systemd refuse it. */
    static SecurityInfo read(EffectiveUnit unit, SecurityProfile profile) {
        SecurityInfo info = new SecurityInfo();
        info.tables = profile.tables();
        // offline, a release whose PrivateMounts= is a tristate counts its unset state as on; over D-Bus the unset
        // state reads as false
        boolean unsetIsOn = profile.privateMountsUnsetIsOn() && !unit.isLive();
        info.privateMounts = unsetIsOn;
        info.id = unit.name();
        for (Assignment a : unit.assignments()) {
            SecurityDirectives.Parser parser = SecurityDirectives.parser(a.section(), a.key()).orElse(null);
            if (parser == null) {
                continue;
            }
            String value = a.value().strip();
            if (a.section().equals("Service") && profile.enables(a.key(), value)) {
                value = "yes";
            }
            if (value.isEmpty() && a.key().equals("PrivateMounts") && profile.privateMountsUnsetIsOn()) {
                info.privateMounts = unsetIsOn; // the tristate's reset: back to unset
                continue;
            }
            try {
                parser.apply(info, value, unit.name());
            } catch (SecurityAssessmentException e) {
                throw new SecurityAssessmentException(a.location() + ": " + e.getMessage());
            }
        }
        patchContexts(info);
        if (unit.isLive()) {
            acquiredOverBus(info);
        }
        return info;
    }

    /**
     * What {@code acquire_security_info()} adds when {@code systemd-analyze security UNIT} reads a loaded unit over
     * D-Bus (252, 257, 262 alike; the offline path does not): these settings count as {@code PrivateMounts=}, even
     * over an explicit {@code PrivateMounts=no} (LiveExposureIT compares every unit a lab's systemd ships).
     */
    static void acquiredOverBus(SecurityInfo info) {
        if (info.privateDevices || info.privateTmp || info.protectControlGroups || info.protectKernelTunables
                || info.protectKernelModules || !info.protectHome.equals("no") || !info.protectSystem.equals("no")
                || info.rootImage != null) {
            info.privateMounts = true;
        }
    }

    /** systemd's unit_patch_contexts(): what sandboxing settings imply at load time. */
    static void patchContexts(SecurityInfo info) {
        info.capabilityBoundingSet &= ~CapabilitySet.impliedDrops(info.privateDevices, info.protectKernelModules,
                info.protectKernelLogs, info.protectClock);
        if (info.dynamicUser) {
            if (info.user == null) {
                info.user = SecurityUnitNames.dynamicUserName(info.id);
            }
            info.privateTmp = true;
            info.removeIpc = true;
            info.protectSystem = "strict";
            if (info.protectHome.equals("no")) {
                info.protectHome = "read-only";
            }
            info.noNewPrivileges = true;
            info.restrictSuidSgid = true;
        }
        if (info.privateDevices && info.devicePolicy.equals("auto")) {
            info.devicePolicy = "closed";
        }
        if ((info.rootImage != null || info.mountImages)
                && (!info.devicePolicy.equals("auto") || !info.deviceAllow.isEmpty())) {
            info.addDeviceAllow("/dev/loop-control", "rw");
            info.addDeviceAllow("/dev/mapper/control", "rw");
            info.addDeviceAllow("block-loop", "rwm");
            info.addDeviceAllow("block-blkext", "rwm");
            info.addDeviceAllow("block-device-mapper", "rwm");
        }
        if (info.protectClock) {
            info.addDeviceAllow("char-rtc", "r");
        }
    }
}
