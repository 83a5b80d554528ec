package dev.unitguard.api;

import dev.unitguard.apply.ApplyRequestException;
import dev.unitguard.apply.SystemdPort;
import dev.unitguard.config.AgentConfig;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become HTTP answers: every error the agent sends is
 * {@code application/problem+json} made here, from a {@link Problem.ProblemException} or from a status Vert.x
 * failed the request with (413 from the body limit, 404 and 405 from routing, 501 for an unknown method), or from
 * the HTTP layer itself ({@link #invalidRequest}, {@link #requestTimeout}).
 */
final class ErrorMapper implements Handler<RoutingContext> {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    /** The engine's kinds of bad request; each problem's status is the kind's {@code httpStatus()}. */
    private static final Map<ApplyRequestException.Kind, Problem.Kind> APPLY_KINDS = Map.of(
            ApplyRequestException.Kind.INVALID_FIELD, Problem.Kind.BAD_REQUEST,
            ApplyRequestException.Kind.UNIT_NOT_FOUND, Problem.Kind.UNIT_NOT_FOUND,
            ApplyRequestException.Kind.HISTORY_ENTRY_NOT_FOUND, Problem.Kind.HISTORY_ENTRY_NOT_FOUND,
            ApplyRequestException.Kind.IDEMPOTENCY_KEY_REUSED, Problem.Kind.IDEMPOTENCY_KEY_REUSED,
            ApplyRequestException.Kind.UNIT_NOT_LOADABLE, Problem.Kind.UNPROCESSABLE_UNIT,
            ApplyRequestException.Kind.SCOPE_FORBIDDEN, Problem.Kind.INSUFFICIENT_SCOPE,
            ApplyRequestException.Kind.PRIVILEGE_RAISING, Problem.Kind.PRIVILEGE_RAISING);

    private final long maxBodyBytes;
    private final AgentConfig.Limits limits;

    ErrorMapper(long maxBodyBytes, AgentConfig.Limits limits) {
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Problem problem = problem(ctx);
        if (problem.status() >= 500 && problem.status() != 501 && problem.status() != 503) {
            LOG.log(Level.SEVERE, ctx.request().method() + " " + ctx.request().path() + " failed", ctx.failure());
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (problem.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"unitguard\"");
        }
        send(ctx.response(), problem);
    }

    private static io.vertx.core.Future<Void> send(HttpServerResponse response, Problem problem) {
        return response.setStatusCode(problem.status()).putHeader("Content-Type", PROBLEM_JSON)
                .end(JsonBodies.write(problem));
    }

    /**
     * The servers' {@code invalidRequestHandler}: a request Netty's decoder could not read (request line longer
     * than {@code limits.maxRequestLineBytes}: 414; headers larger than {@code limits.maxHeaderBytes}: 431;
     * anything else, such as a garbage request line: 400). Answered, then the connection is closed: the rest of
     * its bytes cannot be trusted to start a request.
     */
    void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = Problem.Kind.REQUEST_LINE_TOO_LONG.problem("the request line is longer than "
                    + "limits.maxRequestLineBytes (" + limits.maxRequestLineBytes() + " bytes)");
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = Problem.Kind.HEADERS_TOO_LARGE.problem("the request headers are larger than "
                    + "limits.maxHeaderBytes (" + limits.maxHeaderBytes() + " bytes)");
        } else {
            problem = Problem.Kind.BAD_REQUEST.problem("not an HTTP/1.1 request: " + (cause == null
                    || cause.getMessage() == null ? "unreadable" : cause.getMessage().lines().findFirst().orElse("")));
        }
        closeAfter(request, problem);
    }

    /** A request whose line, headers or body did not arrive within {@code limits.requestTimeoutSeconds}. */
    void requestTimeout(HttpServerRequest request, java.time.Duration timeout) {
        closeAfter(request, Problem.Kind.REQUEST_TIMEOUT.problem("the request was not received within "
                + "limits.requestTimeoutSeconds (" + timeout.toSeconds() + " s)"));
    }

    /** A method HTTP does not define: 501, and the connection closed (its body, if any, is not read). */
    void unknownMethod(HttpServerRequest request) {
        String method = request.method().name();
        closeAfter(request, Problem.Kind.NOT_IMPLEMENTED.problem((method.length() > 32 ? method.substring(0, 32)
                + "..." : method) + " is not an HTTP method this agent implements"));
    }

    /**
     * Answers {@code problem}, then closes the connection at once: {@code HttpConnection.close()} would wait for the
     * request in progress, whose body may never come.
     */
    private static void closeAfter(HttpServerRequest request, Problem problem) {
        io.netty.channel.Channel channel = NettyChannels.of(request.connection());
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            channel.close();
            return;
        }
        response.putHeader("Connection", "close");
        send(response, problem).onComplete(done -> channel.close());
    }

    private Problem problem(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof Problem.ProblemException known) {
            return known.problem();
        }
        if (failure instanceof ApplyRequestException bad) {
            return APPLY_KINDS.get(bad.kind()).exception(bad.getMessage(), bad.members()).problem();
        }
        if (failure instanceof SystemdPort.SystemdFailure down) {
            return Problem.Kind.SYSTEMD_UNAVAILABLE.problem("systemd did not answer; nothing was changed: "
                    + down.getMessage());
        }
        int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
        if (status == 413) {
            return Problem.Kind.PAYLOAD_TOO_LARGE.problem("the request body is larger than maxBodyBytes ("
                    + maxBodyBytes + " bytes)");
        }
        if (status == 404) {
            return Problem.Kind.NOT_FOUND.problem("no resource at " + ctx.request().path());
        }
        if (status == 405) {
            return Problem.Kind.METHOD_NOT_ALLOWED.problem(ctx.request().method() + " is not allowed on "
                    + ctx.request().path());
        }
        if (status > 0 && status < 500) {
            return Problem.Kind.forStatus(status).problem(failure == null || failure.getMessage() == null
                    ? "HTTP " + status : failure.getMessage());
        }
        return Problem.Kind.INTERNAL.problem("the agent failed to answer " + ctx.request().method() + " "
                + ctx.request().path() + "; see its log");
    }
}
