package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics over a real server: the kept gzip copy for a scraper that accepts it, the text for any other. */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class MetricsRouteTest {

    @TempDir
    Path dir;

    /** Status, the headers that matter here, and the body's bytes as sent (not inflated). */
    private record Raw(int status, String contentType, String contentEncoding, String vary, String contentLength,
                       byte[] body) {
    }

    private static Raw get(HttpClient client, int port, Map<String, String> headers) throws Exception {
        RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(HttpMethod.GET)
                .setURI("/metrics");
        headers.forEach(options::putHeader);
        return TestAgent.await(client.request(options).compose(r -> r.send()).compose(r -> r.body().map(b ->
                new Raw(r.statusCode(), r.getHeader("Content-Type"), r.getHeader("Content-Encoding"),
                        r.getHeader("Vary"), r.getHeader("Content-Length"), b.getBytes()))));
    }

    /** The exposition's {@code # TYPE} lines: which metric families it holds, not their values. */
    private static List<String> families(byte[] body) {
        List<String> types = new String(body, StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("# TYPE ")).toList();
        assertTrue(types.size() > 10, "an exposition with few families: " + types);
        return types;
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    void metrics_acceptEncodingGzip_gzipBodyInflatesToTheTextOtherwisePlain(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            HttpClient client = vertx.createHttpClient(); // does not inflate: the bytes as the server sent them
            int port = agent.server.tcpPort();
            // the same render answers all three when they come within a second and no meter changed; under load
            // they may not, so the bodies are compared by their metric families, which a new render keeps once the
            // request histogram exists (a request before the first render makes it)
            TestAgent.await(client.request(HttpMethod.GET, port, "127.0.0.1", "/health/live")
                    .compose(r -> r.send()).compose(r -> r.body()));
            Raw plain = get(client, port, Map.of());
            Raw gzip = get(client, port, Map.of("Accept-Encoding", "gzip"));
            Raw refused = get(client, port, Map.of("Accept-Encoding", "gzip;q=0, identity"));
            Raw open = get(client, port, Map.of("Accept-Encoding", "deflate, gzip;q=0.5",
                    "Accept", "application/openmetrics-text; version=1.0.0"));

            assertEquals(200, plain.status());
            assertNull(plain.contentEncoding());
            assertEquals(plain.body().length, Integer.parseInt(plain.contentLength()), "one body, its length first");
            assertEquals("Accept-Encoding", plain.vary());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", plain.contentType());

            assertEquals(200, gzip.status());
            assertEquals("gzip", gzip.contentEncoding());
            assertEquals("Accept-Encoding", gzip.vary());
            assertEquals(plain.contentType(), gzip.contentType());
            assertEquals(families(plain.body()), families(gunzip(gzip.body())));

            assertNull(refused.contentEncoding());
            assertEquals(families(plain.body()), families(refused.body()));

            assertEquals("gzip", open.contentEncoding());
            assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", open.contentType());
            assertTrue(new String(gunzip(open.body()), StandardCharsets.UTF_8).endsWith("\n# EOF\n"));
        }
    }
}
