package dev.unitguard.apply;

import java.util.Objects;
import java.util.Optional;

/**
 * Who asks (the principal history records: {@code uid:1000} or a token name) and the request's idempotency key, if
 * any: a retried request with the same key returns the first answer.
 */
public record Caller(String principal, Optional<String> idempotencyKey) {

    static final int MAX_KEY_LENGTH = 255;

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (principal.isBlank()) {
            throw new IllegalArgumentException("principal must not be blank");
        }
        idempotencyKey.ifPresent(k -> {
            if (k.isEmpty() || k.length() > MAX_KEY_LENGTH || k.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException(
                        "Idempotency-Key must be 1 to 255 printable ASCII characters: \"" + k + "\"");
            }
        });
    }

    public static Caller of(String principal) {
        return new Caller(principal, Optional.empty());
    }

    public Caller withIdempotencyKey(String key) {
        return new Caller(principal, Optional.of(key));
    }
}
