package dev.unitguard.systemd;

import java.util.Objects;

/**
 * The properties of one unit of a listing, or that systemd no longer has it loaded, or why it could not be read: one
 * unit never fails a listing.
 */
public sealed interface UnitReading {

    String name();

    record Read(UnitProperties properties) implements UnitReading {
        public Read {
            Objects.requireNonNull(properties, "properties");
        }

        @Override
        public String name() {
            return properties.name();
        }
    }

    /** systemd has no unit of that name loaded (it was never loaded, or has been unloaded since). */
    record NotLoaded(String name) implements UnitReading {
        public NotLoaded {
            Objects.requireNonNull(name, "name");
        }
    }

    record Failed(String name, String reason) implements UnitReading {
        public Failed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
