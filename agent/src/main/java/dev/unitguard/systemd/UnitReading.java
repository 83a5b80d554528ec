package dev.unitguard.systemd;

import java.util.Objects;

/** The properties of one unit of a listing, or why they could not be read: one unit never fails a listing. */
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

    record Failed(String name, String reason) implements UnitReading {
        public Failed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
