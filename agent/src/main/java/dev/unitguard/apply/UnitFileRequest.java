package dev.unitguard.apply;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code PUT /v1/units/{unit}/file} (content present: install or replace /etc/systemd/system/UNIT) and
 * {@code DELETE} (content empty: remove it).
 */
public record UnitFileRequest(String unit, Optional<String> content, Activation activation) {

    public UnitFileRequest {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(activation, "activation");
    }
}
