package dev.unitguard.exposure;

import dev.unitguard.unit.IpPrefix;
import java.util.List;

/**
 * IPAddressDeny=, IPAddressAllow=, IPIngressFilterPath= and IPEgressFilterPath= as far as the exposure score reads
 * them: whether all of IPv4 and IPv6 is denied, and whether the allow list holds localhost or other prefixes.
 * Lists accumulate; an empty assignment resets one; an entry that does not parse ends the assignment, as in
 * systemd 252 (entries before it stay).
 */
final class SecurityIpPrefixes {

    /** One parsed entry: family 4 or 6, whether it is a localhost address, and its prefix length. */
    record Prefix(int family, boolean localhost, int length) {
    }

    private SecurityIpPrefixes() {
    }

    static void deny(SecurityInfo info, String value) {
        if (value.isEmpty()) {
            info.ipAddressDenyAll = false;
            info.denyPrefixes.clear();
            return;
        }
        info.denyPrefixes.addAll(parseList(value));
        boolean v4 = info.denyPrefixes.stream().anyMatch(p -> p.family() == 4 && p.length() == 0);
        boolean v6 = info.denyPrefixes.stream().anyMatch(p -> p.family() == 6 && p.length() == 0);
        info.ipAddressDenyAll = v4 && v6;
    }

    static void allow(SecurityInfo info, String value) {
        if (value.isEmpty()) {
            info.ipAddressAllowLocalhost = false;
            info.ipAddressAllowOther = false;
            return;
        }
        for (Prefix prefix : parseList(value)) {
            if (prefix.localhost()) {
                info.ipAddressAllowLocalhost = true;
            } else {
                info.ipAddressAllowOther = true;
            }
        }
    }

    static void ingressFilter(SecurityInfo info, String value) {
        info.ipIngressFilter = !value.isEmpty();
    }

    static void egressFilter(SecurityInfo info, String value) {
        info.ipEgressFilter = !value.isEmpty();
    }

    static List<Prefix> parseList(String value) {
        return IpPrefix.parseList(value).stream().map(p -> new Prefix(p.family(), p.localhost(), p.length())).toList();
    }
}
