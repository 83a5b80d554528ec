package dev.unitguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole scrape, JVM meters included, through Prometheus' own linter ({@code promtool check metrics}), and the
 * alert rules in packaging/monitoring through their unit tests ({@code promtool test rules}). promtool comes with
 * Debian's prometheus package, installed by packaging/dev-setup.sh; skipped, with the reason, where it is missing.
 */
class PromtoolTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void scrape_everyMeterInUse_promtoolCheckMetricsClean() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " missing: run packaging/dev-setup.sh (Debian's prometheus)");
        try (AgentMetrics metrics = new AgentMetrics()) {
            metrics.units(List.of(new UnitSample("app.service", "active", "running", 2,
                    Optional.of(new BigDecimal("6.1")))));
            metrics.systemdUp(true);
            metrics.systemdVersion("252.36-1~deb12u1");
            metrics.checkFinished("app.service", "fail", 1, Duration.ofMillis(42));
            metrics.probe("ok");
            metrics.request("GET", "/v1/units", 200, Duration.ofMillis(3));
            metrics.collectionFailed("broken.service");
            metrics.findings("app.service", List.of());

            String scrape = metrics.scrape(null).body();

            assertEquals("exit 0\n", promtoolCheckMetrics(scrape), "promtool check metrics on:\n" + scrape);
            assertEquals(1.0, PrometheusTextParser.parse(scrape).stream()
                    .filter(s -> s.name().equals("unitguard_build_info")
                            && s.labels().get("systemd_version").equals("252.36-1~deb12u1"))
                    .findFirst().orElseThrow(() -> new AssertionError(scrape)).value());
        }
    }

    @Test
    void scrape_jvmMeters_renamedToPrometheusNames() {
        try (AgentMetrics metrics = new AgentMetrics()) {
            List<String> names = PrometheusTextParser.parse(metrics.scrape(null).body()).stream()
                    .map(PrometheusTextParser.Sample::name).toList();

            assertEquals(Map.of("process_cpu_seconds_total", true, "system_cpus_available", true,
                            "process_cpu_time_ns_total", false, "system_cpu_count", false),
                    Map.of("process_cpu_seconds_total", names.contains("process_cpu_seconds_total"),
                            "system_cpus_available", names.contains("system_cpus_available"),
                            "process_cpu_time_ns_total", names.contains("process_cpu_time_ns_total"),
                            "system_cpu_count", names.contains("system_cpu_count")));
        }
    }

    @Test
    void alertRules_promtoolTestRules_pass() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " missing: run packaging/dev-setup.sh (Debian's prometheus)");
        Path monitoring = Path.of("../packaging/monitoring").toAbsolutePath().normalize();
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "test", "rules", "unitguard-alerts.test.yml")
                .directory(monitoring.toFile()).redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            throw new AssertionError("promtool did not finish within 60 s");
        }
        assertEquals(0, promtool.exitValue(), output);
    }

    @Test
    void dashboard_everyPanelQuery_parsesAsPromQl(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " missing: run packaging/dev-setup.sh (Debian's prometheus)");
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Path.of("../packaging/monitoring/unitguard-dashboard.json").toFile());
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        int n = 0;
        for (var panel : dashboard.get("panels")) {
            for (var target : panel.get("targets")) {
                rules.append("  - record: dashboard:panel").append(panel.get("id").asInt()).append('_').append(n++)
                        .append("\n    expr: ").append(com.fasterxml.jackson.databind.node.TextNode
                                .valueOf(target.get("expr").asText())).append('\n');
            }
        }
        Path file = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, promtool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), output);
        assertEquals(true, n >= 8, "every panel has a query: " + n);
    }

    /** promtool's exit status and complaints: "exit 0\n" when clean. */
    private static String promtoolCheckMetrics(String scrape) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = promtool.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            throw new AssertionError("promtool did not finish within 60 s");
        }
        return "exit " + promtool.exitValue() + "\n" + output;
    }
}
