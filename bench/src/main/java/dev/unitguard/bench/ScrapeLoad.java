package dev.unitguard.bench;

import dev.unitguard.api.MetricsRoute;
import dev.unitguard.metrics.AgentMetrics;
import dev.unitguard.metrics.UnitSample;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A load generator for GET /metrics (issue 11 item 5), not a test: two processes, so that the server's event loop is
 * not the client's.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar dev.unitguard.bench.ScrapeLoad serve cached|inline UNITS PORT
 *   java -cp bench/target/benchmarks.jar dev.unitguard.bench.ScrapeLoad load PORT CONCURRENCY [gzip|plain]
 * </pre>
 *
 * {@code serve} answers /metrics with {@code UNITS} synthetic units (7 state series, restarts and exposure each) and
 * the agent's request histogram: {@code cached} through the agent's {@link MetricsRoute}, {@code inline} as the agent
 * did before (a render on the event loop per scrape). {@code load} measures 300 sequential scrapes after 200 of
 * warm-up, then five bursts of {@code CONCURRENCY} simultaneous scrapes on as many connections, and prints p50, p99
 * and max of each. {@code gzip} (the default) asks as Prometheus does, with {@code Accept-Encoding: gzip}, and reads
 * the compressed body without inflating it (the wire's bytes are what a burst moves); {@code plain} asks for no
 * encoding. Without the agent's connection limits (256 per listener by default).
 */
public final class ScrapeLoad {

    private ScrapeLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else if ((args.length == 3 || args.length == 4) && args[0].equals("load")) {
            String encoding = args.length == 4 ? args[3] : "gzip";
            if (!encoding.equals("gzip") && !encoding.equals("plain")) {
                throw new IllegalArgumentException("encoding: gzip or plain, not " + encoding);
            }
            load(Integer.parseInt(args[1]), Integer.parseInt(args[2]), encoding.equals("gzip"));
        } else {
            System.err.println("usage: ScrapeLoad serve cached|inline UNITS PORT | load PORT CONCURRENCY [gzip|plain]");
            System.exit(2);
        }
    }

    private static void serve(String mode, int units, int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        AgentMetrics metrics = new AgentMetrics();
        List<UnitSample> samples = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            samples.add(new UnitSample("unit-" + i + ".service", i % 10 == 0 ? "failed" : "active", "running", i % 3,
                    Optional.of(new BigDecimal("9.6"))));
        }
        metrics.units(samples);
        metrics.systemdUp(true);
        Handler<RoutingContext> scrape = switch (mode) {
            case "cached" -> new MetricsRoute(vertx, metrics);
            case "inline" -> ctx -> {
                AgentMetrics.Scrape s = metrics.scrape(ctx.request().getHeader("Accept"));
                ctx.response().putHeader("Content-Type", s.contentType()).end(s.body());
            };
            default -> throw new IllegalArgumentException("mode: cached or inline, not " + mode);
        };
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            long start = System.nanoTime();
            ctx.addEndHandler(v -> metrics.request(ctx.request().method().name(), "/metrics",
                    ctx.response().getStatusCode(), Duration.ofNanos(System.nanoTime() - start)));
            ctx.next();
        });
        router.get("/metrics").handler(scrape);
        vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await();
        System.out.println("serving " + mode + " with " + units + " units on 127.0.0.1:" + port);
    }

    private static void load(int port, int concurrency, boolean gzip) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency)
                .setMaxWaitQueueSize(-1));
        for (int i = 0; i < 200; i++) {
            scrape(client, gzip).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        long[] sequential = new long[300];
        long bytes = 0;
        for (int i = 0; i < sequential.length; i++) {
            long start = System.nanoTime();
            bytes = scrape(client, gzip).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            sequential[i] = System.nanoTime() - start;
        }
        System.out.println("body " + bytes + " bytes" + (gzip ? " (Accept-Encoding: gzip, answered with "
                + encoding(client, true) + ")" : " (no Accept-Encoding)"));
        print("sequential x" + sequential.length, sequential);
        for (int burst = 1; burst <= 5; burst++) {
            long[] took = new long[concurrency];
            List<Future<Long>> all = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < concurrency; i++) {
                int n = i;
                all.add(scrape(client, gzip).map(b -> took[n] = System.nanoTime() - start));
            }
            Future.all(all).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            print("burst " + burst + " of " + concurrency + " concurrent", took);
        }
        // the server's own view: its request histogram for /metrics (routing to the end of the response)
        String body = client.request(HttpMethod.GET, "/metrics").compose(r -> r.send()).compose(r -> r.body())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).toString();
        System.out.println("server-side unitguard_http_request_duration_seconds{route=/metrics}, cumulative:");
        body.lines().filter(l -> l.startsWith("unitguard_http_request_duration_seconds_bucket")
                        && l.contains("route=\"/metrics\"")).map(l -> "  " + l.replaceAll(".*le=", "le="))
                .forEach(System.out::println);
        vertx.close().await();
    }

    /** One scrape, read to its end; the body's length as sent (compressed when asked for gzip and given it). */
    private static Future<Long> scrape(HttpClient client, boolean gzip) {
        return client.request(HttpMethod.GET, "/metrics").compose(r -> {
            if (gzip) {
                r.putHeader("Accept-Encoding", "gzip");
            }
            return r.send();
        }).compose(r -> {
            if (r.statusCode() != 200) {
                return Future.failedFuture("status " + r.statusCode());
            }
            return r.body().map(b -> (long) b.length());
        });
    }

    /** The Content-Encoding of one scrape's answer ("identity" when none). */
    private static String encoding(HttpClient client, boolean gzip) throws Exception {
        return client.request(HttpMethod.GET, "/metrics").compose(r -> {
            if (gzip) {
                r.putHeader("Accept-Encoding", "gzip");
            }
            return r.send();
        }).compose(r -> r.body().map(b -> {
            String e = r.getHeader("Content-Encoding");
            return e == null ? "identity" : e;
        })).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-32s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms%n", what, ms(sorted, 0.50), ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6;
    }
}
