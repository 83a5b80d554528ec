package dev.unitguard.metrics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The three per-unit families that grow with the number of units ({@code unitguard_unit_state}, seven series a unit;
 * {@code unitguard_unit_restarts}; {@code unitguard_unit_exposure}), written straight from the unit samples in the
 * form Micrometer's Prometheus registry gives them: a family's {@code # HELP} and {@code # TYPE} lines (in the order
 * of the format), its series sorted by their label values, each value as {@link Double#toString} writes it, label
 * values escaped as both formats require ({@code \\}, {@code \"}, {@code \n}). {@code UnitSeriesTest} compares the
 * bytes with the registry's on random units.
 *
 * <p>Why not meters: at 200 units, registering the ~1,600 series as meters took 11-14 ms per change of unit states,
 * and rendering them 9-13 ms, with the agent's JIT (C1 only); the first scrape after a change waited for that
 * render (docs/performance.md). Written from the samples, both take well under a millisecond.
 */
final class UnitSeries {

    static final String STATE = "unitguard_unit_state";
    static final String RESTARTS = "unitguard_unit_restarts";
    static final String EXPOSURE = "unitguard_unit_exposure";
    static final String STATE_HELP =
            "1 for the unit's current active state (as systemctl shows it), 0 for the others";
    static final String RESTARTS_HELP = "Automatic restarts of the service since it was started (systemd's NRestarts)";
    static final String EXPOSURE_HELP =
            "Exposure score of the unit's files as systemd-analyze security computes it (0-10)";
    /** {@link AgentMetrics#ACTIVE_STATES} in the order their series are written (sorted). */
    private static final List<String> STATES_SORTED = AgentMetrics.ACTIVE_STATES.stream().sorted().toList();

    private UnitSeries() {
    }

    /** The three families of {@code units} (those with no series left out), in {@code openMetrics} or text 0.0.4. */
    static byte[] render(List<UnitSample> units, boolean openMetrics) {
        List<UnitSample> sorted = new ArrayList<>(units);
        sorted.sort(Comparator.comparing(UnitSample::unit));
        StringBuilder out = new StringBuilder(units.size() * 800 + 1024);
        // family names sorted, as the registry writes them
        if (sorted.stream().anyMatch(u -> u.exposure().isPresent())) {
            header(out, EXPOSURE, EXPOSURE_HELP, openMetrics);
            for (UnitSample u : sorted) {
                u.exposure().ifPresent(e -> series(out, EXPOSURE, null, u.unit(), e.doubleValue()));
            }
        }
        if (!sorted.isEmpty()) {
            header(out, RESTARTS, RESTARTS_HELP, openMetrics);
            for (UnitSample u : sorted) {
                series(out, RESTARTS, null, u.unit(), (double) u.restarts());
            }
            header(out, STATE, STATE_HELP, openMetrics);
            for (String state : STATES_SORTED) {
                for (UnitSample u : sorted) {
                    series(out, STATE, state, u.unit(), state.equals(u.activeState()) ? 1 : 0);
                }
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder out, String name, String help, boolean openMetrics) {
        if (openMetrics) {
            out.append("# TYPE ").append(name).append(" gauge\n# HELP ").append(name).append(' ');
            escape(out, help, false);
            out.append('\n');
        } else {
            out.append("# HELP ").append(name).append(' ');
            escape(out, help, false);
            out.append("\n# TYPE ").append(name).append(" gauge\n");
        }
    }

    private static void series(StringBuilder out, String name, String state, String unit, double value) {
        out.append(name).append('{');
        if (state != null) {
            out.append("state=\"");
            escape(out, state, true);
            out.append("\",");
        }
        out.append("unit=\"");
        escape(out, unit, true);
        out.append("\"} ").append(Double.toString(value)).append('\n'); // finite: a count or a score of 0-10
    }

    /** A label value ({@code quote}: {@code "} too) or a HELP text: backslash and newline escaped. */
    private static void escape(StringBuilder out, String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quote ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }
}
