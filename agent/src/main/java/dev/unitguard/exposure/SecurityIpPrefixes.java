package dev.unitguard.exposure;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        List<Prefix> prefixes = new ArrayList<>();
        for (String word : SecurityUnitNames.plainWords(value)) {
            switch (word) {
                case "any" -> prefixes.addAll(List.of(new Prefix(4, false, 0), new Prefix(6, false, 0)));
                case "localhost" -> prefixes.addAll(List.of(new Prefix(4, true, 8), new Prefix(6, true, 128)));
                case "link-local" -> prefixes.addAll(List.of(new Prefix(4, false, 16), new Prefix(6, false, 64)));
                case "multicast" -> prefixes.addAll(List.of(new Prefix(4, false, 4), new Prefix(6, false, 8)));
                default -> {
                    Optional<Prefix> prefix = parse(word);
                    if (prefix.isEmpty()) {
                        return prefixes; // "Address prefix is invalid, ignoring assignment"
                    }
                    prefixes.add(prefix.get());
                }
            }
        }
        return prefixes;
    }

    /** {@code address[/length]}; the address is masked to the length, as systemd stores it. */
    static Optional<Prefix> parse(String word) {
        int slash = word.indexOf('/');
        String address = slash < 0 ? word : word.substring(0, slash);
        Optional<byte[]> bytes = address.contains(":") ? SecurityIpAddresses.parseV6(address)
                : SecurityIpAddresses.parseV4(address);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int max = bytes.get().length * 8;
        int length = max;
        if (slash >= 0) {
            String digits = word.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            length = Integer.parseInt(digits);
            if (length > max) {
                return Optional.empty();
            }
        }
        byte[] masked = SecurityIpAddresses.mask(bytes.get(), length);
        return Optional.of(new Prefix(max == 32 ? 4 : 6, SecurityIpAddresses.isLocalhost(masked), length));
    }
}
