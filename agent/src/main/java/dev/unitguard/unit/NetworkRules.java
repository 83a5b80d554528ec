package dev.unitguard.unit;

import java.util.List;
import java.util.regex.Pattern;

/**
 * systemd 252's {@code config_parse_in_addr_prefixes} (IPAddressAllow=, IPAddressDeny=) and
 * {@code config_parse_cgroup_socket_bind} (SocketBindAllow=, SocketBindDeny=), with their warning texts. Addresses
 * are read as {@code inet_pton()} reads them, never resolved. An invalid prefix ends the assignment; the prefixes
 * before it stay in force.
 */
public final class NetworkRules {

    private static final List<String> SPECIAL_PREFIXES = List.of("any", "localhost", "link-local", "multicast");
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private NetworkRules() {
    }

    static ValueRule ipAddressPrefixes() {
        return (value, out) -> {
            List<String> words = out.words(value, "Invalid syntax, ignoring: ");
            words = words == null ? List.of() : words;
            words.stream().filter(word -> !SPECIAL_PREFIXES.contains(word) && !isPrefix(word)).findFirst()
                    .ifPresent(word -> out.skip("Address prefix is invalid, ignoring assignment: " + word));
        };
    }

    static ValueRule socketBind() {
        return (value, out) -> {
            if (!value.isEmpty() && SocketBindRule.parse(value).isEmpty()) {
                out.ignore("Unable to parse " + out.key() + "= assignment, ignoring: " + value);
            }
        };
    }

    /** An IPv4 or IPv6 address, optionally with {@code /LENGTH} (decimal, no leading zero, within the family). */
    static boolean isPrefix(String word) {
        int slash = word.indexOf('/');
        String address = slash < 0 ? word : word.substring(0, slash);
        int max = isIpv4(address) ? 32 : isIpv6(address) ? 128 : -1;
        if (max < 0 || slash < 0) {
            return max > 0;
        }
        String length = word.substring(slash + 1);
        return length.matches("0|[1-9][0-9]{0,2}") && Integer.parseInt(length) <= max;
    }

    /** A dotted-quad IPv4 address literal, as {@code inet_pton(AF_INET)} reads it. */
    public static boolean isIpv4(String s) {
        if (!IPV4.matcher(s).matches()) {
            return false;
        }
        for (String octet : s.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IPv6 address literal, as {@code inet_pton(AF_INET6)} reads it. */
    public static boolean isIpv6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String head = doubleColon < 0 ? s : s.substring(0, doubleColon);
        String tail = doubleColon < 0 ? "" : s.substring(doubleColon + 2);
        int groups = 0;
        String last = tail.isEmpty() ? head : tail;
        boolean ipv4Tail = last.lastIndexOf(':') < last.length() - 1 && last.substring(last.lastIndexOf(':') + 1).contains(".");
        for (String part : List.of(head, tail)) {
            if (part.isEmpty()) {
                continue;
            }
            String[] fields = part.split(":", -1);
            for (int i = 0; i < fields.length; i++) {
                boolean lastField = part == last && i == fields.length - 1;
                if (lastField && ipv4Tail) {
                    if (!isIpv4(fields[i])) {
                        return false;
                    }
                    groups += 2;
                } else if (HEX_GROUP.matcher(fields[i]).matches()) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return doubleColon < 0 ? groups == 8 : groups <= 7;
    }
}
