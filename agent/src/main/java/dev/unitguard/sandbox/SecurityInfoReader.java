package dev.unitguard.sandbox;

import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;

/**
 * Builds the {@link SecurityInfo} of a unit as systemd 252 does when it loads the unit offline: every assignment in
 * order through its parser ({@link SecurityDirectives}), then the implications of {@code unit_patch_contexts()}.
 */
final class SecurityInfoReader {

    private SecurityInfoReader() {
    }

    /** Reads the unit; throws {@link SecurityAssessmentException} for a setting that makes systemd refuse it. */
    static SecurityInfo read(EffectiveUnit unit) {
        SecurityInfo info = new SecurityInfo();
        info.id = unit.name();
        for (Assignment a : unit.assignments()) {
            SecurityDirectives.Parser parser = SecurityDirectives.parser(a.section(), a.key()).orElse(null);
            if (parser == null) {
                continue;
            }
            try {
                parser.apply(info, a.value().strip(), unit.name());
            } catch (SecurityAssessmentException e) {
                throw new SecurityAssessmentException(a.location() + ": " + e.getMessage());
            }
        }
        patchContexts(info);
        return info;
    }

    /** systemd's unit_patch_contexts(): what sandboxing settings imply at load time. */
    static void patchContexts(SecurityInfo info) {
        if (info.privateDevices) {
            info.capabilityBoundingSet &= ~(SecurityCapabilities.bit("cap_mknod") | SecurityCapabilities.bit("cap_sys_rawio"));
        }
        if (info.protectKernelModules) {
            info.capabilityBoundingSet &= ~SecurityCapabilities.bit("cap_sys_module");
        }
        if (info.protectKernelLogs) {
            info.capabilityBoundingSet &= ~SecurityCapabilities.bit("cap_syslog");
        }
        if (info.protectClock) {
            info.capabilityBoundingSet &= ~(SecurityCapabilities.bit("cap_sys_time") | SecurityCapabilities.bit("cap_wake_alarm"));
        }
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
