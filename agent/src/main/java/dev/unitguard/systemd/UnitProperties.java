package dev.unitguard.systemd;

import java.util.List;
import java.util.Optional;

/**
 * The {@code org.freedesktop.systemd1.Unit} properties unitguard reads, and the service ones for a service.
 * Strings systemd leaves empty stay empty ({@code fragmentPath} of a transient unit, {@code invocationId} of a unit
 * that never ran). Built from the D-Bus properties ({@link #from}), which are never null: only the list is copied.
 */
public record UnitProperties(String name, String description, String loadState, String activeState,
                             String subState, String unitFileState, String fragmentPath, List<String> dropInPaths,
                             String invocationId, Optional<ServiceProperties> service) {

    public UnitProperties {
        dropInPaths = List.copyOf(dropInPaths);
    }

    static UnitProperties from(String name, PropertyMap unit, Optional<PropertyMap> service) {
        return new UnitProperties(name, unit.string("Description"), unit.string("LoadState"),
                unit.string("ActiveState"), unit.string("SubState"), unit.string("UnitFileState"),
                unit.string("FragmentPath"), unit.strings("DropInPaths"), invocationId(unit.hex("InvocationID")),
                service.map(ServiceProperties::from));
    }

    /** An InvocationID in hex; empty for the all-zero one of a unit that never ran. */
    static String invocationId(String hex) {
        return hex.replaceAll("^0+$", "");
    }

    /** True once the unit stopped, successfully ({@code inactive}) or not ({@code failed}). */
    public boolean isStopped() {
        return isStopped(activeState);
    }

    /** True for the active states of a unit that stopped: {@code inactive} and {@code failed}. */
    static boolean isStopped(String activeState) {
        return activeState.equals("inactive") || activeState.equals("failed");
    }
}
