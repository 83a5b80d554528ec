package dev.unitguard.api;

import static dev.unitguard.api.TestAgent.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.config.AgentConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP layer's bounds over a real server and raw sockets: request line and header sizes, a garbage request
 * line and an unknown method answered as problem+json; the request-read timeout; the connection limits.
 */
@ExtendWith(VertxExtension.class)
class ApiLimitsTest {

    /** 4 connections per listener, 2 per user on the socket, 1 s to send a request. */
    static final AgentConfig.Limits LIMITS = new AgentConfig.Limits(4, 2, Duration.ofSeconds(30),
            Duration.ofSeconds(1), 4096, 8192);

    @TempDir
    Path dir;
    TestAgent agent;
    private final List<SocketChannel> open = new ArrayList<>();

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        agent = TestAgent.start(vertx, dir, c -> c.withLimits(LIMITS));
    }

    @AfterEach
    void stop() throws Exception {
        for (SocketChannel channel : open) {
            channel.close();
        }
        agent.close();
    }

    private SocketChannel tcp() throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", agent.server.tcpPort()));
        open.add(channel);
        return channel;
    }

    private SocketChannel unix() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(agent.socket()));
        open.add(channel);
        return channel;
    }

    /** Writes {@code request}, then reads until the server closes the connection (at most 10 s). */
    static String exchange(SocketChannel channel, String request) throws IOException {
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        return readToEnd(channel, Duration.ofSeconds(30));
    }

    static String readToEnd(SocketChannel channel, Duration limit) throws IOException {
        channel.configureBlocking(false);
        StringBuilder text = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = channel.read(buffer.clear());
            } catch (IOException reset) {
                break;
            }
            if (n < 0) {
                break;
            }
            if (n == 0) {
                sleep(20);
            }
            text.append(new String(buffer.array(), 0, n == 0 ? 0 : n, StandardCharsets.UTF_8));
        }
        channel.configureBlocking(true);
        assertTrue(System.nanoTime() < deadline, "the agent did not close the connection within " + limit
                + "; read: " + text);
        return text.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The first connection, opened before the refused one, is still open: the refused one was closed by the limit,
     * not by the request timeout (which closes the older connection first).
     */
    private static void assertStillOpen(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        assertEquals(0, channel.read(ByteBuffer.allocate(1)), "the first connection must still be open");
        channel.configureBlocking(true);
    }

    /** Status line, content type and body of a raw answer; the connection closed after it. */
    static void assertProblemThenClosed(String raw, int status, String expectedBody) {
        assertTrue(raw.matches("(?s)HTTP/1\\.[01] " + status + " .*"), raw);
        assertTrue(raw.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), raw);
        assertTrue(raw.contains("\r\ncontent-type: application/problem+json\r\n")
                || raw.contains("\r\nContent-Type: application/problem+json\r\n"), raw);
        assertEquals(expectedBody, raw.substring(raw.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void tcp_requestLineOf9KB_414ProblemJson() throws Exception {
        String raw = exchange(tcp(), "GET /" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblemThenClosed(raw, 414, problem("request-line-too-long", "Request line too long", 414,
                "the request line is longer than limits.maxRequestLineBytes (4096 bytes)"));
    }

    @Test
    void unix_100KBOfHeaders_431ProblemJson() throws Exception {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("v".repeat(90)).append("\r\n");
        }
        String raw = exchange(unix(), "GET /v1/units HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
        assertProblemThenClosed(raw, 431, problem("headers-too-large", "Request headers too large", 431,
                "the request headers are larger than limits.maxHeaderBytes (8192 bytes)"));
    }

    @Test
    void tcp_garbageRequestLine_400ProblemJson() throws Exception {
        String raw = exchange(tcp(), "\u0001\u0002garbage\r\n\r\n");
        assertTrue(raw.matches("(?s)HTTP/1\\.[01] 400 .*"), raw);
        assertTrue(raw.contains("\"type\" : \"https://unitguard.dev/problems/bad-request\""), raw);
        assertTrue(raw.contains("\"detail\" : \"not an HTTP/1.1 request: "), raw);
    }

    @Test
    void unix_unknownMethod_501ProblemJson() throws Exception {
        String raw = exchange(unix(), "BREW /v1/units HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblemThenClosed(raw, 501, problem("not-implemented", "Not implemented", 501,
                "BREW is not an HTTP method this agent implements"));
    }

    @Test
    void unix_knownMethodOnWrongRoute_405ProblemJson() throws Exception {
        TestAgent.Answer answer = agent.unix(HttpMethod.PATCH, "/v1/units", null);
        assertEquals(405, answer.status());
        assertEquals("application/problem+json", answer.contentType());
    }

    @Test
    void tcp_unsupportedHttpVersion_505ProblemJson() throws Exception {
        String raw = exchange(tcp(), "GET /health/live HTTP/1.7\r\nHost: x\r\n\r\n");
        assertProblemThenClosed(raw, 505, problem("http-version-not-supported", "HTTP version not supported", 505,
                "HTTP/1.7 is not supported; use HTTP/1.1"));
    }

    @Test
    void unix_bodyShorterThanContentLength_408AfterTheRequestTimeoutThenClosed() throws Exception {
        long start = System.nanoTime();
        String raw = exchange(unix(), "POST /v1/units/app.service/check HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"set\": {}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertProblemThenClosed(raw, 408, problem("request-timeout", "Request not received in time", 408,
                "the request was not received within limits.requestTimeoutSeconds (1 s)"));
        assertTrue(millis >= 1000, "answered after " + millis + " ms");
    }

    @Test
    void tcp_silentConnection_closedAfterTheRequestTimeout() throws Exception {
        long start = System.nanoTime();
        String raw = readToEnd(tcp(), Duration.ofSeconds(30));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("", raw);
        assertTrue(millis >= 1000, "closed after " + millis + " ms");
    }

    @Test
    void tcp_beyondMaxConnections_closedAtOnceAndServedAgainWhenFree() throws Exception {
        for (int i = 0; i < LIMITS.maxConnections(); i++) {
            tcp();
        }
        sleep(200);
        assertEquals("", readToEnd(tcp(), Duration.ofSeconds(30)));
        assertStillOpen(open.get(0));
        for (SocketChannel channel : open) {
            channel.close();
        }
        sleep(200);
        assertEquals(200, agent.tcp(HttpMethod.GET, "/health/live", null, java.util.Map.of()).status());
    }

    @Test
    void unix_beyondMaxConnectionsPerUser_closedAtOnceWhileTcpServes() throws Exception {
        unix();
        unix();
        sleep(200);
        assertEquals("", readToEnd(unix(), Duration.ofSeconds(30)));
        assertStillOpen(open.get(0));
        assertEquals(200, agent.tcp(HttpMethod.GET, "/health/live", null, java.util.Map.of()).status());
    }

    @Test
    void unix_keepAliveRequestsWithinTheTimeout_served() throws Exception {
        SocketChannel channel = unix();
        for (int i = 0; i < 3; i++) {
            channel.write(ByteBuffer.wrap("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            sleep(600);
        }
        String raw = readToEnd(channel, Duration.ofSeconds(3));
        assertEquals(3, raw.split("HTTP/1.1 200 ", -1).length - 1, raw);
    }
}
