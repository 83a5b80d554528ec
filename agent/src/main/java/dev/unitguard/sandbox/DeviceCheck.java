package dev.unitguard.sandbox;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.HostView;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a device node is usable: present in the service's /dev ({@code PrivateDevices=} leaves only
 * pseudo devices), allowed by the device cgroup policy ({@code DevicePolicy=}, {@code DeviceAllow=}), and
 * readable and writable for the service's user.
 */
final class DeviceCheck {

    private static final List<String> PSEUDO = List.of("/dev/null", "/dev/zero", "/dev/full", "/dev/random",
            "/dev/urandom", "/dev/tty", "/dev/ptmx");

    private final ServiceSettings settings;
    private final HostView host;
    private final Dac.Credentials credentials;

    DeviceCheck(ServiceSettings settings, HostView host, Dac.Credentials credentials) {
        this.settings = settings;
        this.host = host;
        this.credentials = credentials;
    }

    RequirementVerdict check(String device) {
        String path = host.resolve(device);
        if (settings.privateDevices() && !PSEUDO.contains(path)) {
            return RequirementVerdict.denied(device, "rw", "PrivateDevices=yes",
                    device + " is not in the private /dev of PrivateDevices=yes");
        }
        Optional<String> policy = policyDenial(path);
        if (policy.isPresent()) {
            return RequirementVerdict.denied(device, "rw", policy.get(), device + " is not allowed by "
                    + policy.get() + (settings.deviceAllow().isEmpty() ? "" : " and DeviceAllow="
                    + String.join(", ", settings.deviceAllow())));
        }
        if (settings.privateDevices()) {
            return RequirementVerdict.granted(device, "rw", "pseudo device in the private /dev");
        }
        Dac.Decision d = Dac.check(credentials, path, Set.of(Access.R, Access.W), host::stat);
        return switch (d.outcome()) {
            case GRANTED -> RequirementVerdict.granted(device, "rw", null);
            case MISSING -> RequirementVerdict.denied(device, "rw", "missing", d.reason());
            case DENIED -> RequirementVerdict.denied(device, "rw", "permissions", d.reason());
        };
    }

    private Optional<String> policyDenial(String path) {
        String policy = settings.devicePolicy();
        if (policy.equals("auto") && (settings.privateDevices() || !settings.deviceAllow().isEmpty())) {
            policy = "closed";
        }
        if (policy.equals("auto")) {
            return Optional.empty();
        }
        if (policy.equals("closed") && PSEUDO.contains(path)) {
            return Optional.empty();
        }
        for (String allow : settings.deviceAllow()) {
            if (allows(allow.trim(), path)) {
                return Optional.empty();
            }
        }
        return Optional.of(settings.privateDevices() && settings.devicePolicy().equals("auto")
                ? "PrivateDevices=yes" : "DevicePolicy=" + policy);
    }

    private boolean allows(String allow, String path) {
        String[] parts = allow.split("\\s+", 2);
        String spec = parts[0];
        String perms = parts.length > 1 ? parts[1] : "rwm";
        if (!perms.contains("r") || !perms.contains("w")) {
            return false;
        }
        if (spec.startsWith("/")) {
            return host.resolve(spec).equals(path);
        }
        if (spec.startsWith("char-") || spec.startsWith("block-")) {
            String name = spec.substring(spec.indexOf('-') + 1).replace("*", "");
            return path.substring(path.lastIndexOf('/') + 1).startsWith(name);
        }
        return false;
    }
}
