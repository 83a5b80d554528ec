package dev.unitguard.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The first answer to each idempotency key, persisted (so a retry after an agent restart gets it too), with a
 * fingerprint of the request it answered: the same key with a different request is refused, not replayed.
 */
final class IdempotencyStore {

    record Stored(String key, String fingerprint, Instant at, ApplyResult result) {
    }

    private final StateDirectory state;

    IdempotencyStore(StateDirectory state) {
        this.state = state;
    }

    /** The stored answer for {@code key}, if the same request was answered before. */
    Optional<ApplyResult> replay(String key, String fingerprint) throws IOException, ApplyRequestException {
        Optional<Stored> stored = state.readJson(state.idempotency(sha256(key)), Stored.class);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().fingerprint().equals(fingerprint)) {
            throw new ApplyRequestException(ApplyRequestException.Kind.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key \"" + key + "\" was already used for a different request (at "
                            + stored.get().at() + ")");
        }
        return Optional.of(stored.get().result());
    }

    void store(String key, String fingerprint, Instant at, ApplyResult result) throws IOException {
        state.writeJson(state.idempotency(sha256(key)), new Stored(key, fingerprint, at, result));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
