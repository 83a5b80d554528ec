package dev.unitguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.testing.RandomText;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link UnitSeries} against what it replaced: the same samples as Micrometer meters (MultiGauges, registered as
 * AgentMetrics registered them until 2026-12-01) in a Prometheus registry, rendered by Micrometer. Byte for byte, in
 * both formats, on random units: names with the characters label values escape, states systemd has and has not,
 * restart counts up to the largest, exposures with and without a score.
 */
class UnitSeriesTest {

    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void render_randomUnits_sameBytesAsMicrometer(int seed) throws Exception {
        Random random = new Random(seed);
        List<UnitSample> units = units(random, seed == 0 ? 0 : random.nextInt(seed == 9 ? 400 : 40));
        for (String type : List.of(TEXT, OPEN_METRICS)) {
            String expected = micrometer(units, type);
            String actual = new String(UnitSeries.render(units, type.equals(OPEN_METRICS)), StandardCharsets.UTF_8);
            assertEquals(expected, actual, type + ", " + units.size() + " units");
        }
    }

    private static List<UnitSample> units(Random random, int count) {
        String alphabet = "abz09-_.@:\\\"\né\u2603x";
        List<String> states = new ArrayList<>(AgentMetrics.ACTIVE_STATES);
        states.add("refreshing"); // a state of later systemd releases: 0 in every series
        long[] restarts = {0, 1, 7, 999_999, 10_000_000, 123_456_789_012L, Long.MAX_VALUE};
        Map<String, UnitSample> byName = new LinkedHashMap<>();
        while (byName.size() < count) {
            String name = RandomText.of(random, alphabet, 1 + random.nextInt(20)) + ".service";
            Optional<BigDecimal> exposure = random.nextInt(4) == 0 ? Optional.empty()
                    : Optional.of(BigDecimal.valueOf(random.nextInt(101), 1));
            byName.put(name, new UnitSample(name, states.get(random.nextInt(states.size())),
                    "sub", restarts[random.nextInt(restarts.length)], exposure));
        }
        return List.copyOf(byName.values());
    }

    /** The samples as AgentMetrics registered them as meters before, rendered by the registry (its # EOF left out). */
    private static String micrometer(List<UnitSample> units, String type) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            MultiGauge state = MultiGauge.builder("unitguard.unit.state").description(UnitSeries.STATE_HELP)
                    .register(registry);
            MultiGauge restarts = MultiGauge.builder("unitguard.unit.restarts").description(UnitSeries.RESTARTS_HELP)
                    .register(registry);
            MultiGauge exposure = MultiGauge.builder("unitguard.unit.exposure").description(UnitSeries.EXPOSURE_HELP)
                    .register(registry);
            List<MultiGauge.Row<?>> states = new ArrayList<>();
            List<MultiGauge.Row<?>> restartRows = new ArrayList<>();
            List<MultiGauge.Row<?>> exposures = new ArrayList<>();
            for (UnitSample u : units) {
                for (String s : AgentMetrics.ACTIVE_STATES) {
                    states.add(MultiGauge.Row.of(Tags.of("unit", u.unit(), "state", s),
                            s.equals(u.activeState()) ? 1 : 0));
                }
                restartRows.add(MultiGauge.Row.of(Tags.of("unit", u.unit()), u.restarts()));
                u.exposure().ifPresent(e -> exposures.add(MultiGauge.Row.of(Tags.of("unit", u.unit()), e)));
            }
            state.register(states, true);
            restarts.register(restartRows, true);
            exposure.register(exposures, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            registry.scrape(out, type);
            String text = out.toString(StandardCharsets.UTF_8);
            return text.endsWith("# EOF\n") ? text.substring(0, text.length() - "# EOF\n".length()) : text;
        } finally {
            registry.close();
        }
    }
}
