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
                unit.string("FragmentPath"), unit.strings("DropInPaths"), unit.hex("InvocationID").replaceAll("^0+$", ""),
                service.map(ServiceProperties::from));
    }

    /** True once the unit stopped, successfully ({@code inactive}) or not ({@code failed}). */
    public boolean isStopped() {
        return activeState.equals("inactive") || activeState.equals("failed");
    }
}
