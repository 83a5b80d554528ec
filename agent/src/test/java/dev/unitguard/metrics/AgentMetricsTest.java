package dev.unitguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private static double value(List<PrometheusTextParser.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + labels)).value();
    }

    @Test
    void scrape_units_oneStateSeriesPerActiveStateAndParsesStrictly() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.units(List.of(
                    new UnitSample("app.service", "failed", "failed", 3, Optional.of(new BigDecimal("9.6"))),
                    new UnitSample("web \"x\".service", "active", "running", 0, Optional.empty())));

            List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(metrics.scrape(null).body());

            assertEquals(1.0, value(samples, "unitguard_unit_state", Map.of("state", "failed", "unit", "app.service")));
            assertEquals(0.0, value(samples, "unitguard_unit_state", Map.of("state", "active", "unit", "app.service")));
            assertEquals(7, samples.stream().filter(s -> s.name().equals("unitguard_unit_state")
                    && s.labels().get("unit").equals("app.service")).count());
            assertEquals(3.0, value(samples, "unitguard_unit_restarts", Map.of("unit", "app.service")));
            assertEquals(9.6, value(samples, "unitguard_unit_exposure", Map.of("unit", "app.service")));
            assertEquals(1.0, value(samples, "unitguard_unit_state",
                    Map.of("state", "active", "unit", "web \"x\".service")));
            assertTrue(samples.stream().noneMatch(s -> s.name().equals("unitguard_unit_exposure")
                    && s.labels().get("unit").startsWith("web")), "no score, no series");
            assertTrue(samples.stream().anyMatch(s -> s.name().startsWith("jvm_memory_used_bytes")));
            assertTrue(samples.stream().anyMatch(s -> s.name().equals("process_uptime_seconds")));
        }
    }

    @Test
    void renderParts_nothingChanged_sameUnitBytes_changed_unitsRenderedAgain() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            String text = AgentMetrics.contentType(null);
            metrics.units(List.of(new UnitSample("a.service", "active", "running", 0, Optional.empty())));
            AgentMetrics.Rendered first = metrics.renderParts(text);
            metrics.request("GET", "/metrics", 200, Duration.ofMillis(2)); // not a change of the agent's meters
            AgentMetrics.Rendered again = metrics.renderParts(text);

            assertSame(first.units(), again.units(), "the per-unit families kept while the generation stands");
            String units = new String(first.units(), StandardCharsets.UTF_8);
            assertTrue(units.contains("unitguard_unit_state{state=\"active\",unit=\"a.service\"} 1"), units);
            assertFalse(units.contains("jvm_"), units);
            String rest = new String(again.rest(), StandardCharsets.UTF_8);
            assertTrue(rest.contains("unitguard_http_request_duration_seconds_count{"), rest);
            assertFalse(rest.contains("unitguard_unit_state"), rest);

            metrics.units(List.of(new UnitSample("a.service", "failed", "failed", 0, Optional.empty())));
            metrics.collectionFailed("b.service");
            String changed = new String(metrics.render(text), StandardCharsets.UTF_8);

            List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(changed);
            assertEquals(1.0, value(samples, "unitguard_unit_state", Map.of("state", "failed", "unit", "a.service")));
            assertEquals(1.0, value(samples, "unitguard_unit_collection_errors_total", Map.of("unit", "b.service")));
            assertTrue(samples.stream().anyMatch(s -> s.name().equals("process_uptime_seconds")));
        }
    }

    @Test
    void render_openMetrics_unitFamiliesAndOneEofAtTheEnd() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.units(List.of(new UnitSample("a.service", "active", "running", 0, Optional.empty())));
            String open = new String(metrics.render(AgentMetrics.contentType("application/openmetrics-text")),
                    StandardCharsets.UTF_8);

            assertTrue(open.contains("unitguard_unit_state{state=\"active\",unit=\"a.service\"} 1"), open);
            assertTrue(open.contains("jvm_memory_used_bytes"), open);
            assertTrue(open.endsWith("\n# EOF\n"), open);
            assertEquals(1, open.lines().filter(l -> l.equals("# EOF")).count(), open);
        }
    }

    @Test
    void units_unitGone_itsSeriesRemoved() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.units(List.of(new UnitSample("old.service", "active", "running", 0, Optional.empty())));
            metrics.units(List.of(new UnitSample("new.service", "active", "running", 0, Optional.empty())));

            String body = metrics.scrape(null).body();

            assertTrue(body.contains("unit=\"new.service\""), body);
            assertTrue(!body.contains("old.service"), body);
        }
    }

    @Test
    void units_sameSamplesAgain_noChange_otherSamples_change() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.units(List.of(new UnitSample("a.service", "active", "running", 0, Optional.empty())));
            long before = metrics.generation();

            metrics.units(List.of(new UnitSample("a.service", "active", "running", 0, Optional.empty())));
            assertEquals(before, metrics.generation(), "a resync that found nothing new");

            metrics.units(List.of(new UnitSample("a.service", "failed", "failed", 0, Optional.empty())));
            assertTrue(metrics.generation() > before);
            assertTrue(metrics.scrape(null).body().contains(
                    "unitguard_unit_state{state=\"failed\",unit=\"a.service\"} 1.0"));
        }
    }

    @Test
    void request_sameRouteTwice_oneSeriesCountingBoth() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.request("GET", "/metrics", 200, java.time.Duration.ofMillis(2));
            metrics.request("GET", "/metrics", 200, java.time.Duration.ofMillis(3));
            metrics.request("GET", "/metrics", 503, java.time.Duration.ofMillis(3));

            String body = metrics.scrape(null).body();
            assertTrue(body.contains("unitguard_http_request_duration_seconds_count{method=\"GET\",route=\"/metrics\","
                    + "status=\"200\"} 2"), body);
            assertTrue(body.contains("status=\"503\"} 1"), body);
        }
    }

    @Test
    void checkFinished_failedRequirementsAndCounters() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.checkFinished("app.service", "fail", 2, Duration.ofMillis(5));
            metrics.checkFinished("app.service", "ok", 0, Duration.ofMillis(5));
            metrics.checkFinished("broken.service", "error", 0, Duration.ofMillis(5));
            metrics.probe("unavailable");
            metrics.collectionFailed("x.service");

            List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(metrics.scrape(null).body());

            assertEquals(0.0, value(samples, "unitguard_unit_check_failed_requirements", Map.of("unit", "app.service")));
            assertEquals(1.0, value(samples, "unitguard_checks_total", Map.of("result", "fail")));
            assertEquals(1.0, value(samples, "unitguard_checks_total", Map.of("result", "error")));
            assertEquals(3.0, value(samples, "unitguard_check_duration_seconds_count", Map.of()));
            assertEquals(1.0, value(samples, "unitguard_probes_total", Map.of("result", "unavailable")));
            assertEquals(1.0, value(samples, "unitguard_unit_collection_errors_total", Map.of("unit", "x.service")));
        }
    }

    @Test
    void request_histogramInSecondsWithFixedBuckets() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.request("GET", "/v1/units", 200, Duration.ofMillis(3));
            metrics.request("GET", "/v1/units", 200, Duration.ofSeconds(2));

            String body = metrics.scrape(null).body();

            String series = "unitguard_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/units\",status=\"200\",le=";
            assertEquals(List.of("# TYPE unitguard_http_request_duration_seconds histogram",
                            series + "\"0.001\"} 0", series + "\"0.005\"} 1", series + "\"2.5\"} 2",
                            series + "\"+Inf\"} 2"),
                    body.lines().filter(l -> l.equals("# TYPE unitguard_http_request_duration_seconds histogram")
                            || l.startsWith(series + "\"0.001\"") || l.startsWith(series + "\"0.005\"")
                            || l.startsWith(series + "\"2.5\"") || l.startsWith(series + "\"+Inf\"")).toList(),
                    body);
            assertEquals(15, body.lines().filter(l -> l.startsWith(series)).count(), body);
        }
    }

    @Test
    void scrape_acceptOpenMetrics_openMetricsWithEof() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            AgentMetrics.Scrape scrape = metrics.scrape("application/openmetrics-text; version=1.0.0, text/plain;q=0.5");

            assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", scrape.contentType());
            assertTrue(scrape.body().endsWith("# EOF\n"), scrape.body());
        }
    }

    @Test
    void scrape_acceptText_textFormat004() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            AgentMetrics.Scrape scrape = metrics.scrape("text/plain");

            assertEquals("text/plain; version=0.0.4; charset=utf-8", scrape.contentType());
            assertTrue(!scrape.body().contains("# EOF"));
        }
    }

    @Test
    void parser_duplicateSeries_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrometheusTextParser.parse(
                "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n"));
        assertEquals("line 3: duplicate series a{x=1}", e.getMessage());
    }

    @Test
    void parser_sampleWithoutType_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusTextParser.parse("a 1\n"));
        assertEquals("line 1: sample a has no TYPE before it", e.getMessage());
    }

    @Test
    void parser_badEscape_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusTextParser.parse("# TYPE a gauge\na{x=\"\\t\"} 1\n"));
        assertEquals("line 2: bad escape \\t", e.getMessage());
    }
}
