package dev.unitguard.exposure;

import java.util.OptionalInt;

/** CapabilityBoundingSet= and AmbientCapabilities= as systemd 252's {@code config_parse_capability_set()}. */
final class SecurityCapabilities {

    private SecurityCapabilities() {
    }

    /**
     * Applies one assignment to a capability set. An empty list or a set still at its initial value is replaced
     * (so {@code CapabilityBoundingSet=} empties the set and {@code ~} alone fills it); otherwise the listed
     * capabilities are added, or removed after {@code ~}. Unknown names are ignored.
     */
    static long apply(long current, long initial, String value) {
        boolean invert = value.startsWith("~");
        long sum = 0;
        for (String word : SecurityUnitNames.words(invert ? value.substring(1) : value)) {
            OptionalInt cap = SecurityTables.get().capability(word);
            if (cap.isPresent()) {
                sum |= 1L << cap.getAsInt();
            }
        }
        if (sum == 0 || current == initial) {
            return invert ? ~sum : sum;
        }
        return invert ? current & ~sum : current | sum;
    }

    /** The bit of a capability known to systemd 252 ({@code systemd-analyze capability}). */
    static long bit(String name) {
        return 1L << SecurityTables.get().capability(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown capability " + name));
    }
}
