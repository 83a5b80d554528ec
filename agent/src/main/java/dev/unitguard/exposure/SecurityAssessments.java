package dev.unitguard.exposure;

import dev.unitguard.exposure.SecurityCheck.Assessment;

/** The assess functions of systemd 252's checks that are more than a boolean or a bit test. */
final class SecurityAssessments {

    private SecurityAssessments() {
    }

    static Assessment user(SecurityInfo i, SecurityCheck c) {
        boolean root = "0".equals(i.user) || "root".equals(i.user);
        if ("nobody".equals(i.user)) {
            return Assessment.of(9, "Service runs under as 'nobody' user, which should not be used for services");
        }
        if (i.dynamicUser && !root) {
            return Assessment.of(0, "Service runs under a transient non-root user identity");
        }
        if (i.user != null && !root && !i.user.isEmpty()) {
            return Assessment.of(0, "Service runs under a static non-root user identity");
        }
        return Assessment.of(10);
    }

    static Assessment protectHome(SecurityInfo i, SecurityCheck c) {
        return switch (i.protectHome) {
            case "read-only" -> Assessment.of(5, "Service has read-only access to home directories");
            case "tmpfs" -> Assessment.of(1, "Service has access to fake empty home directories");
            case "yes" -> Assessment.of(0, "Service has no access to home directories");
            default -> Assessment.of(10, "Service has full access to home directories");
        };
    }

    static Assessment protectSystem(SecurityInfo i, SecurityCheck c) {
        return switch (i.protectSystem) {
            case "full" -> Assessment.of(3, "Service has very limited write access to the OS file hierarchy");
            case "strict" -> Assessment.of(0, "Service has strict read-only access to the OS file hierarchy");
            case "yes" -> Assessment.of(5, "Service has limited write access to the OS file hierarchy");
            default -> Assessment.of(10, "Service has full access to the OS file hierarchy");
        };
    }

    static boolean emptyOrRoot(String path) {
        return path == null || path.isEmpty() || path.chars().allMatch(ch -> ch == '/');
    }

    static Assessment umask(SecurityInfo i, SecurityCheck c) {
        int m = i.umask;
        if ((m & 0002) == 0) {
            return Assessment.of(10, "Files created by service are world-writable by default");
        } else if ((m & 0004) == 0) {
            return Assessment.of(5, "Files created by service are world-readable by default");
        } else if ((m & 0020) == 0) {
            return Assessment.of(2, "Files created by service are group-writable by default");
        } else if ((m & 0040) == 0) {
            return Assessment.of(1, "Files created by service are group-readable by default");
        }
        return Assessment.of(0, "Files created by service are accessible only by service's own user by default");
    }

    static Assessment protectProc(SecurityInfo i, SecurityCheck c) {
        return switch (i.protectProc) {
            case "noaccess" -> Assessment.of(1);
            case "invisible", "ptraceable" -> Assessment.of(0);
            default -> Assessment.of(3);
        };
    }

    static Assessment systemCallArchitectures(SecurityInfo i, SecurityCheck c) {
        if (i.systemCallArchitectures.isEmpty()) {
            return Assessment.of(10, "Service may execute system calls with all ABIs");
        }
        if (i.systemCallArchitectures.contains("native") && i.systemCallArchitectures.size() == 1) {
            return Assessment.of(0, "Service may execute system calls only with native ABI");
        }
        return Assessment.of(8, "Service may execute system calls with multiple ABIs");
    }

    static Assessment systemCallFilter(SecurityInfo i, String group) {
        boolean allowList = i.systemCallFilter != null && i.systemCallFilter.allowList();
        if (!allowList && (i.systemCallFilter == null || i.systemCallFilter.names().isEmpty())) {
            return Assessment.of(10, "Service does not filter system calls");
        }
        String offender = SecuritySyscallFilter.offender(i, group);
        if (allowList) {
            return offender != null
                    ? Assessment.of(9, "System call allow list defined for service, and " + group
                            + " is included (e.g. " + offender + " is allowed)")
                    : Assessment.of(0, "System call allow list defined for service, and " + group + " is not included");
        }
        return offender != null
                ? Assessment.of(10, "System call deny list defined for service, and " + group
                        + " is not included (e.g. " + offender + " is allowed)")
                : Assessment.of(0, "System call deny list defined for service, and " + group + " is included");
    }

    static Assessment ipAddressDeny(SecurityInfo i, SecurityCheck c) {
        if (i.ipIngressFilter || i.ipEgressFilter) {
            return Assessment.of(0, "Service defines custom ingress/egress IP filters with BPF programs");
        } else if (!i.ipAddressDenyAll) {
            return Assessment.of(10, "Service does not define an IP address allow list");
        } else if (i.ipAddressAllowOther) {
            return Assessment.of(5, "Service defines IP address allow list with non-localhost entries");
        } else if (i.ipAddressAllowLocalhost) {
            return Assessment.of(2, "Service defines IP address allow list with only localhost entries");
        }
        return Assessment.of(0, "Service blocks all IP address ranges");
    }

    static Assessment deviceAllow(SecurityInfo i, SecurityCheck c) {
        if (i.devicePolicy.equals("strict") || i.devicePolicy.equals("closed")) {
            return i.deviceAllow.isEmpty()
                    ? Assessment.of(0, "Service has a minimal device ACL")
                    : Assessment.of(5, "Service has a device ACL with some special devices: "
                            + String.join(" ", i.deviceAllow));
        }
        return Assessment.of(10, "Service has no device ACL");
    }
}
