package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHealthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HttpServer server;
    private final AtomicInteger redirectTargetHits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ok", ex -> answer(ex, 200, null));
        server.createContext("/down", ex -> answer(ex, 503, null));
        server.createContext("/moved", ex -> answer(ex, 302, "http://127.0.0.1:" + port() + "/target"));
        server.createContext("/target", ex -> {
            redirectTargetHits.incrementAndGet();
            answer(ex, 200, null);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String location)
            throws java.io.IOException {
        if (location != null) {
            ex.getResponseHeaders().add("Location", location);
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    private Optional<String> get(String host, String path) {
        return HttpHealth.get(new Health.Http(URI.create("http://" + host + ":" + port() + path)), TIMEOUT);
    }

    @Test
    void get_2xx_healthy() {
        assertEquals(Optional.empty(), get("127.0.0.1", "/ok?probe=1"));
        assertEquals(Optional.empty(), get("localhost", "/ok"));
    }

    @Test
    void get_503_unhealthyWithStatus() {
        assertEquals(Optional.of("GET http://127.0.0.1:" + port() + "/down answered 503"), get("127.0.0.1", "/down"));
    }

    @Test
    void get_redirect_notFollowed() {
        assertEquals(Optional.of("GET http://127.0.0.1:" + port() + "/moved answered 302 (redirects are not "
                + "followed)"), get("127.0.0.1", "/moved"));
        assertEquals(0, redirectTargetHits.get());
    }

    @Test
    void get_nobodyListening_unhealthy() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String why = HttpHealth.get(new Health.Http(URI.create("http://127.0.0.1:" + closed + "/")), TIMEOUT)
                .orElseThrow();
        assertTrue(why.startsWith("GET http://127.0.0.1:" + closed + "/ failed: "), why);
    }

    @Test
    void get_endlessStatusLine_cutOffAtTheBound() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread talker = new Thread(() -> {
                try (Socket c = s.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(("HTTP/1.1 200 " + "x".repeat(HttpHealth.MAX_STATUS_LINE)).getBytes(
                            StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(TIMEOUT.toMillis() * 2);
                } catch (Exception e) {
                    // the client hung up
                }
            });
            talker.setDaemon(true);
            talker.start();
            assertEquals(Optional.of("GET http://127.0.0.1:" + s.getLocalPort() + "/ failed: status line longer "
                    + "than 8192 bytes"), HttpHealth.get(new Health.Http(URI.create("http://127.0.0.1:"
                    + s.getLocalPort() + "/")), TIMEOUT));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/", "http://127.255.255.254:8080/h", "https://localhost/",
            "http://LOCALHOST:1/", "http://[::1]:8080/", "http://[0:0:0:0:0:0:0:1]/"})
    void http_loopback_accepted(String url) {
        assertEquals(URI.create(url), new Health.Http(URI.create(url)).url());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://example.com/", "http://127.0.0.1.nip.io/",
            "http://localhost.example/", "http://[::2]/", "http://0.0.0.0:80/", "http://2130706433/",
            "http://127.0.0.256/", "http://169.254.169.254/latest/meta-data/", "http://user@127.0.0.1/", "http:/x"})
    void http_notLoopback_refusedNamingTheField(String url) {
        var e = assertThrows(IllegalArgumentException.class, () -> new Health.Http(URI.create(url)));

        assertEquals("must name a loopback host (127.0.0.0/8, [::1] or localhost), without user info: "
                + url, e.getMessage());
    }

    @Test
    void http_otherScheme_refused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Health.Http(URI.create("file:///etc/shadow")));

        assertEquals("must be an http or https URL: file:///etc/shadow", e.getMessage());
    }
}
