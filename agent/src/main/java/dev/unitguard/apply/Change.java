package dev.unitguard.apply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One file change the engine carries out: {@code target} gets {@code after} (empty: removed). Built in this package
 * from a request whose records already refuse nulls ({@link UnitFileRequest}, {@link Activation}).
 */
record Change(String unit, Operation operation, Path target, Optional<String> after, boolean restart, Health health,
              Duration timeout) {
}
