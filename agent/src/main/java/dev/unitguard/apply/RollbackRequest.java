package dev.unitguard.apply;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@code POST /v1/units/{unit}/rollback}: with {@code to}, put the file of history entry {@code to} back as that
 * entry left it (its content after, or before when the entry did not apply); without, undo the newest change that
 * applied (its content before).
 */
public record RollbackRequest(String unit, OptionalLong to, Activation activation) {

    public RollbackRequest {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(activation, "activation");
    }
}
