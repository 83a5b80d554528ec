package dev.unitguard.apply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** One file change the engine carries out: {@code target} gets {@code after} (empty: removed). */
record Change(String unit, Operation operation, Path target, Optional<String> after, boolean restart, Health health,
              Duration timeout) {

    Change {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(timeout, "timeout");
    }
}
