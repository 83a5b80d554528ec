package dev.unitguard.sandbox;

import dev.unitguard.unit.EffectiveUnit;
import java.util.List;

/** How a merged list setting is named in a verdict's {@code deniedBy}: its assignments since the last reset. */
final class Directives {

    private Directives() {
    }

    /**
     * {@code RestrictAddressFamilies=AF_UNIX}, or for several assignments in force
     * {@code SystemCallFilter=@system-service SystemCallFilter=~@privileged @resources}; {@code Key=} when none is.
     */
    static String shown(EffectiveUnit unit, String key) {
        List<String> live = unit.values(ServiceSettings.S, key).stream().map(value -> key + "=" + value).toList();
        return live.isEmpty() ? key + "=" : String.join(" ", live);
    }

    /** Whether the unit assigns {@code key} a value still in force. */
    static boolean set(EffectiveUnit unit, String key) {
        return !shown(unit, key).equals(key + "=");
    }
}
