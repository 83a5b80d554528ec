package dev.unitguard.apply;

import java.util.Objects;
import java.util.Optional;

/**
 * Who asks (the principal history records: {@code uid:1000} or a token name), what they may do ({@link Scope}), and
 * the request's idempotency key, if any: a retried request with the same key returns the first answer.
 */
public record Caller(String principal, Optional<String> idempotencyKey, Scope scope) {

    /**
     * What a caller may change. {@code ROOT}: uid 0 on the Unix socket; {@code ADMIN}: an administrator the
     * configuration names (unit files, enablement, any directive); {@code HARDENING}: members of the socket's group
     * (sandboxing directives that do not raise privileges). docs/security.md says who gets which.
     */
    public enum Scope {
        ROOT, ADMIN, HARDENING;

        /** Root and administrators may change unit files and write any directive. */
        public boolean isAdmin() {
            return this != HARDENING;
        }
    }

    static final int MAX_KEY_LENGTH = 255;

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(scope, "scope");
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

    /** A caller with root's scope (the CLI run as root, tests). */
    public static Caller of(String principal) {
        return of(principal, Scope.ROOT);
    }

    public static Caller of(String principal, Scope scope) {
        return new Caller(principal, Optional.empty(), scope);
    }

    public Caller withIdempotencyKey(String key) {
        return new Caller(principal, Optional.of(key), scope);
    }
}
