package dev.unitguard.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.json.JsonPath;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem: {@code type} is stable (clients switch on it), {@code title} is the same for every problem
 * of that type, {@code detail} names the field or value that was wrong. When one value of the request body is at
 * fault ({@link Kind#exception(JsonPath, String)}), the detail has one layout, {@code $.set.ProtectSystem: reason},
 * and the extension member {@value #POINTER} names the same value as an RFC 6901 JSON pointer,
 * {@code /set/ProtectSystem} ({@code ""}: the body as a whole).
 */
record Problem(String type, String title, int status, String detail,
               @JsonIgnore Map<String, Object> extensions) {

    static final String TYPE_BASE = "https://unitguard.dev/problems/";
    /** The extension member naming the value at fault in the request body. */
    static final String POINTER = "pointer";

    Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        extensions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
    }

    Problem(String type, String title, int status, String detail) {
        this(type, title, status, detail, Map.of());
    }

    /** RFC 9457 extension members, written after the standard ones (in the order the map gives). */
    @JsonAnyGetter
    Map<String, Object> members() {
        return extensions;
    }

    /** The kinds of problem the API answers with: the table behind the documented {@code type} values. */
    enum Kind {
        BAD_REQUEST("bad-request", "Bad request", 400),
        INVALID_UNIT_NAME("invalid-unit-name", "Invalid unit name", 400),
        UNAUTHORIZED("unauthorized", "Authentication required", 401),
        FORBIDDEN("forbidden", "Forbidden", 403),
        INSUFFICIENT_SCOPE("insufficient-scope", "Not allowed in the caller's scope", 403),
        UNIT_NOT_FOUND("unit-not-found", "Unit not found", 404),
        NOT_FOUND("not-found", "Not found", 404),
        METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
        UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
        PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", 413),
        HISTORY_ENTRY_NOT_FOUND("history-entry-not-found", "History entry not found", 404),
        UNPROCESSABLE_UNIT("unit-not-loadable", "Unit cannot be loaded", 422),
        APPLY_REFUSED("apply-refused", "Change refused: the service would break", 422),
        IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency key reused", 422),
        PRIVILEGE_RAISING("privilege-raising", "Change refused: it would raise privileges", 422),
        PROBE_NOT_RUN("probe-not-run", "Probe could not run", 422),
        LEARN_NOT_RUN("learn-not-run", "Learn could not run", 422),
        LEARN_BUSY("learn-busy", "A learn is running already", 409),
        NO_REQUIREMENTS("no-requirements", "No requirements manifest for the unit", 422),
        // The HTTP layer's own refusals (ConnectionLimits and ErrorMapper.invalidRequest): answered, then closed.
        REQUEST_TIMEOUT("request-timeout", "Request not received in time", 408),
        REQUEST_LINE_TOO_LONG("request-line-too-long", "Request line too long", 414),
        HEADERS_TOO_LARGE("headers-too-large", "Request headers too large", 431),
        HTTP_VERSION_NOT_SUPPORTED("http-version-not-supported", "HTTP version not supported", 505),
        INTERNAL("internal-error", "Internal error", 500),
        NOT_IMPLEMENTED("not-implemented", "Not implemented", 501),
        SYSTEMD_UNAVAILABLE("systemd-unavailable", "systemd unavailable", 503);

        final String slug;
        final String title;
        final int status;

        Kind(String slug, String title, int status) {
            this.slug = slug;
            this.title = title;
            this.status = status;
        }

        Problem problem(String detail) {
            return new Problem(TYPE_BASE + slug, title, status, detail);
        }

        ProblemException exception(String detail) {
            return new ProblemException(problem(detail));
        }

        /** The value at {@code at} in the request body is wrong: detail {@code $.at: reason}, member pointer. */
        ProblemException exception(JsonPath at, String reason) {
            return exception(at + ": " + reason, Map.of(POINTER, at.pointer()));
        }

        ProblemException exception(JsonInputException bad) {
            return exception(bad.at(), bad.reason());
        }

        ProblemException exception(String detail, Map<String, Object> extensions) {
            return new ProblemException(new Problem(TYPE_BASE + slug, title, status, detail, extensions));
        }

        /** The kind answered for a bare status: not one of the specific kinds sharing its status. */
        private boolean generic() {
            return switch (this) {
                case INVALID_UNIT_NAME, UNIT_NOT_FOUND, PROBE_NOT_RUN, LEARN_NOT_RUN, LEARN_BUSY,
                        HISTORY_ENTRY_NOT_FOUND, APPLY_REFUSED,
                        IDEMPOTENCY_KEY_REUSED, INSUFFICIENT_SCOPE, PRIVILEGE_RAISING -> false;
                default -> true;
            };
        }

        static Kind forStatus(int status) {
            for (Kind kind : values()) {
                if (kind.status == status && kind.generic()) {
                    return kind;
                }
            }
            return status >= 500 ? INTERNAL : BAD_REQUEST;
        }
    }

    /** A request that ends in a problem: thrown by handlers, answered by {@link ErrorMapper}. */
    static final class ProblemException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        ProblemException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }
}
