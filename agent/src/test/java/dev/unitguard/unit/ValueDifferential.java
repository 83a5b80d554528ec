package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The differential test of value parsing: one service per (directive, value) with the value in unitguard's drop-in,
 * all verified by the real {@code systemd-analyze verify} in one run; systemd's warnings for the drop-in's line are
 * its verdict, {@link DropInDirectives#parse}'s refusal is unitguard's. The two must agree, except where
 * {@link #STRICTER} says unitguard refuses on purpose what systemd drops without a warning.
 */
final class ValueDifferential {

    /** Directives whose unknown words systemd 252 drops silently (log_debug) and unitguard refuses. */
    static final Map<String, String> STRICTER = Map.of(
            "CapabilityBoundingSet", "systemd 252 drops an unknown capability name at debug level only",
            "AmbientCapabilities", "systemd 252 drops an unknown capability name at debug level only");

    private static final Pattern WARNING = Pattern.compile("ug-(\\d+)\\.service\\.d/50-unitguard\\.conf:(\\d+): (.*)");

    record Sample(String key, String value) {
    }

    record Mismatch(Sample sample, List<String> systemd, String unitguard) {
        @Override
        public String toString() {
            return sample.key() + "=" + sample.value() + " systemd: " + (systemd.isEmpty() ? "accepts" : systemd)
                    + ", unitguard: " + (unitguard == null ? "accepts" : "refuses (" + unitguard + ")");
        }
    }

    private ValueDifferential() {
    }

    /**
     * Every {@code stride}-th sample value for each directive, shifted by one for each next directive, so that every
     * value is tried on some directives and every directive gets its share; {@code stride} 1 gives the whole cross
     * product (about 11,700 services, zero differences from systemd 252 on the host, but too slow for a busy lab).
     */
    static List<Sample> samples(int stride) {
        List<Sample> samples = new ArrayList<>();
        int shift = 0;
        for (String key : new TreeSet<>(DirectiveValues.directives())) {
            List<String> values = ValueSamples.forDirective(key);
            for (int i = 0; i < values.size(); i++) {
                if ((i + shift) % stride == 0 || values.get(i).isEmpty() || values.get(i).contains(key)) {
                    samples.add(new Sample(key, values.get(i)));
                }
            }
            shift++;
        }
        return samples;
    }

    /** Writes one service and its drop-in per sample under {@code unitDir}; returns the unit names. */
    static List<String> write(Path unitDir, List<Sample> samples) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            String name = "ug-" + i + ".service";
            Files.createDirectories(unitDir.resolve(name + ".d"));
            Files.writeString(unitDir.resolve(name), "[Service]\nExecStart=/bin/true\n");
            Sample s = samples.get(i);
            Files.writeString(unitDir.resolve(name + ".d/50-unitguard.conf"),
                    DropInDirectives.text("service", List.of(new DropInDirectives.Directive(s.key(), s.value()))));
            names.add(name);
        }
        return names;
    }

    /** systemd's warnings per sample index, from the output of {@code systemd-analyze verify}. */
    static Map<Integer, List<String>> warnings(String output) {
        Map<Integer, List<String>> bySample = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = WARNING.matcher(line);
            if (m.find() && m.group(2).equals("2")) {
                bySample.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new ArrayList<>()).add(m.group(3));
            }
        }
        return bySample;
    }

    /** Every sample where unitguard's verdict differs from systemd's. */
    static List<Mismatch> compare(List<Sample> samples, Function<List<String>, String> verify, Path unitDir)
            throws IOException {
        String output = verify.apply(write(unitDir, samples));
        Map<Integer, List<String>> systemd = warnings(output);
        List<Mismatch> mismatches = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            List<String> warned = systemd.getOrDefault(i, List.of());
            String refused = unitguard(s);
            boolean agree = warned.isEmpty() == (refused == null)
                    || (warned.isEmpty() && STRICTER.containsKey(s.key()));
            if (!agree) {
                mismatches.add(new Mismatch(s, warned, refused));
            }
        }
        return mismatches;
    }

    /** unitguard's refusal of the sample at the edge, or null when it accepts it. */
    static String unitguard(Sample s) {
        try {
            DropInDirectives.parse(Path.of("set"), "service",
                    List.of(new DropInDirectives.Directive(s.key(), s.value())));
            return null;
        } catch (DropInDirectives.RejectedException e) {
            return e.reason();
        }
    }
}
