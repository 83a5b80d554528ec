package dev.unitguard.unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of IPAddressAllow= or IPAddressDeny=: an address masked to its prefix length, as systemd stores it. The
 * lists are read as systemd's {@code config_parse_in_addr_prefixes()} reads them (252, 257, 262): the words
 * {@code any}, {@code localhost}, {@code link-local} and {@code multicast} stand for an IPv4 and an IPv6 prefix each;
 * an entry that does not parse ends the assignment (the entries before it stay). Read by the exposure score and the
 * sandbox model.
 */
public record IpPrefix(byte[] address, int length) {

    public IpPrefix {
        address = address.clone();
        if (address.length != 4 && address.length != 16 || length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("not an IP prefix: " + address.length + " bytes, /" + length);
        }
        address = IpAddresses.mask(address, length);
    }

    /** 4 or 6. */
    public int family() {
        return address.length == 4 ? 4 : 6;
    }

    /** Whether systemd counts it as localhost ({@code in_addr_is_localhost()} of the masked address). */
    public boolean localhost() {
        return IpAddresses.isLocalhost(address);
    }

    /** Whether {@code other} (an address of either family) lies in this prefix. */
    public boolean contains(byte[] other) {
        return other.length == address.length
                && java.util.Arrays.equals(IpAddresses.mask(other, length), address);
    }

    /** The entries of one assignment's value. */
    public static List<IpPrefix> parseList(String value) {
        List<IpPrefix> prefixes = new ArrayList<>();
        for (String word : Words.splitPlain(value)) {
            switch (word) {
                case "any" -> prefixes.addAll(List.of(v4("0.0.0.0", 0), v6("::", 0)));
                case "localhost" -> prefixes.addAll(List.of(v4("127.0.0.0", 8), v6("::1", 128)));
                case "link-local" -> prefixes.addAll(List.of(v4("169.254.0.0", 16), v6("fe80::", 64)));
                case "multicast" -> prefixes.addAll(List.of(v4("224.0.0.0", 4), v6("ff00::", 8)));
                default -> {
                    Optional<IpPrefix> prefix = parse(word);
                    if (prefix.isEmpty()) {
                        return prefixes; // "Address prefix is invalid, ignoring assignment"
                    }
                    prefixes.add(prefix.get());
                }
            }
        }
        return prefixes;
    }

    /** The entries of a unit's {@code [Service]} assignments of {@code key} still in force ({@link EffectiveUnit#values}). */
    public static List<IpPrefix> of(EffectiveUnit unit, String key) {
        return unit.values("Service", key).stream().flatMap(value -> parseList(value).stream()).toList();
    }

    /** {@code address[/length]}; empty when it does not parse. */
    public static Optional<IpPrefix> parse(String word) {
        int slash = word.indexOf('/');
        String text = slash < 0 ? word : word.substring(0, slash);
        Optional<byte[]> bytes = text.contains(":") ? IpAddresses.parseV6(text) : IpAddresses.parseV4(text);
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
        return Optional.of(new IpPrefix(bytes.get(), length));
    }

    private static IpPrefix v4(String address, int length) {
        return new IpPrefix(IpAddresses.parseV4(address).orElseThrow(), length);
    }

    private static IpPrefix v6(String address, int length) {
        return new IpPrefix(IpAddresses.parseV6(address).orElseThrow(), length);
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && java.util.Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(address) * 31 + length;
    }

    @Override
    public String toString() {
        return IpAddresses.format(address) + "/" + length;
    }
}
