package dev.unitguard.api;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The bearer token that opens {@code /v1} on the TCP listener. Compared in constant time (both sides hashed to
 * SHA-256 first, so neither the content nor the length leaks through timing). Without a token file configured,
 * {@code /v1} on TCP is refused with 403.
 */
final class BearerToken {

    private final Optional<byte[]> expectedHash;

    private BearerToken(Optional<byte[]> expectedHash) {
        this.expectedHash = expectedHash;
    }

    /** The token read from the token file (surrounding white space removed), or none. */
    static BearerToken of(Optional<String> token) {
        return new BearerToken(token.map(String::strip).map(BearerToken::sha256));
    }

    boolean matches(String presented) {
        return expectedHash.isPresent() && MessageDigest.isEqual(expectedHash.get(), sha256(presented));
    }

    /** Route handler in front of {@code /v1} on TCP. */
    void authorize(RoutingContext ctx) {
        if (expectedHash.isEmpty()) {
            ctx.fail(Problem.Kind.FORBIDDEN.exception(
                    "the /v1 API is not served on TCP unless tcp.tokenFile is configured; use the Unix socket"));
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.fail(Problem.Kind.UNAUTHORIZED.exception("missing Authorization: Bearer header"));
            return;
        }
        if (!matches(header.substring(7).strip())) {
            ctx.fail(Problem.Kind.UNAUTHORIZED.exception("the bearer token is not the configured one"));
            return;
        }
        ctx.next();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
