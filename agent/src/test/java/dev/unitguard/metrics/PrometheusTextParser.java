package dev.unitguard.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (as Prometheus' own parser reads it): HELP and
 * TYPE lines, samples with escaped label values, float values, no family declared twice, TYPE before its samples,
 * no duplicate series, sample names matching their family's type suffixes. Throws on the first violation.
 */
public final class PrometheusTextParser {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusTextParser() {
    }

    public static List<Sample> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> seenSeries = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ", 2);
                requireName(parts[0], lineNo);
                if (line.startsWith("# TYPE ")) {
                    if (parts.length < 2 || !TYPES.contains(parts[1])) {
                        throw error(lineNo, "bad TYPE " + line);
                    }
                    if (types.put(parts[0], parts[1]) != null) {
                        throw error(lineNo, "second TYPE for " + parts[0]);
                    }
                } else if (!helped.add(parts[0])) {
                    throw error(lineNo, "second HELP for " + parts[0]);
                }
            } else if (line.startsWith("#") || line.isBlank()) {
                if (!line.isBlank() && !line.startsWith("# ")) {
                    throw error(lineNo, "bad comment " + line);
                }
            } else {
                Sample sample = sample(line, lineNo);
                String family = family(sample.name(), types);
                if (family == null) {
                    throw error(lineNo, "sample " + sample.name() + " has no TYPE before it");
                }
                if (!seenSeries.add(sample.name() + sample.labels())) {
                    throw error(lineNo, "duplicate series " + sample.name() + sample.labels());
                }
                samples.add(sample);
            }
        }
        return samples;
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_count", "_sum", "_bucket")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("summary".equals(type) || "histogram".equals(type)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static final Pattern SAMPLE = Pattern.compile("([^{ ]+)(\\{(.*)\\})? ([^ ]+)( -?[0-9]+)?");

    private static Sample sample(String line, int lineNo) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            throw error(lineNo, "not a sample: " + line);
        }
        requireName(m.group(1), lineNo);
        Map<String, String> labels = m.group(3) == null ? Map.of() : labels(m.group(3), lineNo);
        return new Sample(m.group(1), labels, value(m.group(4), lineNo));
    }

    private static Map<String, String> labels(String text, int lineNo) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0 || eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
                throw error(lineNo, "bad label at " + text.substring(i));
            }
            String name = text.substring(i, eq);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw error(lineNo, "bad label name " + name);
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < text.length() && text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\') {
                    char next = text.charAt(++j);
                    if (next != '\\' && next != '"' && next != 'n') {
                        throw error(lineNo, "bad escape \\" + next);
                    }
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            if (j >= text.length()) {
                throw error(lineNo, "unterminated label value");
            }
            if (labels.put(name, value.toString()) != null) {
                throw error(lineNo, "label " + name + " twice");
            }
            i = j + 1;
            if (i < text.length()) {
                if (text.charAt(i) != ',') {
                    throw error(lineNo, "expected ',' after label " + name);
                }
                i++;
            }
        }
        return labels;
    }

    private static double value(String text, int lineNo) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw error(lineNo, "bad value " + text);
                }
        }
    }

    private static void requireName(String name, int lineNo) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw error(lineNo, "bad metric name " + name);
        }
    }

    private static IllegalArgumentException error(int line, String what) {
        return new IllegalArgumentException("line " + line + ": " + what);
    }
}
