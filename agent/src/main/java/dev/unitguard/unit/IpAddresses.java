package dev.unitguard.unit;

import java.util.Arrays;
import java.util.Optional;

/** Literal IPv4 and IPv6 addresses, parsed without any name lookup. */
public final class IpAddresses {

    private IpAddresses() {
    }

    public static Optional<byte[]> parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        return Optional.of(bytes);
    }

    public static Optional<byte[]> parseV6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return Optional.empty();
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        Optional<int[]> first = groups(head);
        Optional<int[]> last = groups(tail);
        if (first.isEmpty() || last.isEmpty()) {
            return Optional.empty();
        }
        int count = first.get().length + last.get().length;
        if (doubleColon < 0 ? count != 8 : count > 7) {
            return Optional.empty();
        }
        int[] all = new int[8];
        System.arraycopy(first.get(), 0, all, 0, first.get().length);
        System.arraycopy(last.get(), 0, all, 8 - last.get().length, last.get().length);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (all[i] >> 8);
            bytes[2 * i + 1] = (byte) all[i];
        }
        return Optional.of(bytes);
    }

    /** Colon-separated 16-bit groups; a trailing dotted IPv4 address counts as two groups. */
    private static Optional<int[]> groups(String text) {
        if (text.isEmpty()) {
            return Optional.of(new int[0]);
        }
        String[] parts = text.split(":", -1);
        int[] result = new int[parts.length + 1];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.contains(".")) {
                Optional<byte[]> v4 = parseV4(part);
                if (v4.isEmpty()) {
                    return Optional.empty();
                }
                result[n++] = (v4.get()[0] & 0xff) << 8 | (v4.get()[1] & 0xff);
                result[n++] = (v4.get()[2] & 0xff) << 8 | (v4.get()[3] & 0xff);
            } else if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return Optional.empty();
            } else {
                result[n++] = Integer.parseInt(part, 16);
            }
        }
        return Optional.of(Arrays.copyOf(result, n));
    }

    public static byte[] mask(byte[] address, int length) {
        byte[] masked = address.clone();
        for (int bit = length; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return masked;
    }

    /** systemd's in_addr_is_localhost(): 127.0.0.0/8, or exactly ::1. */
    public static boolean isLocalhost(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[15] == 1;
    }

    /**
     * As {@code inet_ntop()} and {@code ss} print it: {@code 127.0.0.1}, or IPv6 as RFC 5952 says (lower-case hex
     * groups without leading zeros, the longest run of two or more zero groups, the first of equal runs, as
     * {@code ::}); an IPv4-mapped address ({@code ::ffff:0:0/96}) ends in a dotted quad.
     */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | (address[2 * i + 1] & 0xff);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            return "::ffff:" + format(Arrays.copyOfRange(address, 12, 16));
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
