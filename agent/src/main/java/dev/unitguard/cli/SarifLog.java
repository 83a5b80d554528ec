package dev.unitguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unitguard.exposure.SecurityCheckResult;
import dev.unitguard.json.Json;
import dev.unitguard.metrics.BuildInfo;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.Element;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Location;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code score --format sarif}: a SARIF 2.1.0 log for code scanning (GitHub's upload-sarif, GitLab's SAST report
 * converters). One result per check that is not fully met per unit file, at the line that sets the check's directive
 * (in the unit file or the drop-in where it is in force), or at the unit's {@code [Service]} header when the
 * directive is not set. A check that a {@code --fail-on-predicate} names is an {@code error}, the others
 * {@code warning}s; a unit that fails the gate as a whole ({@code --threshold}, a rating) has one more result of the
 * rule {@code OverallExposure}.
 */
final class SarifLog {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String OVERALL = "OverallExposure";

    /** systemd's check ids name their directives: {@code User=/DynamicUser=}, {@code SystemCallFilter=~@swap}. */
    private static final Pattern DIRECTIVE = Pattern.compile("(?:^|/)([A-Za-z]+)=");

    private SarifLog() {
    }

    static ObjectNode of(List<ScoreCommand.Scored> units, Path workingDirectory) {
        ObjectNode log = Json.mapper().createObjectNode().put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver").put("name", "unitguard")
                .put("version", BuildInfo.current().version());
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        ArrayNode results = run.putArray("results");
        for (ScoreCommand.Scored scored : units) {
            Set<String> named = scored.failures().stream().map(FailPredicate.Failure::jsonField)
                    .filter(f -> f != null).collect(Collectors.toSet());
            for (SecurityCheckResult check : scored.report().checks()) {
                if (!FailPredicate.failing(check)) {
                    continue;
                }
                int index = ruleIndex.computeIfAbsent(check.jsonField(), f -> addRule(rules, f,
                        "systemd-analyze security: " + check.id(), "The check " + check.id() + " of systemd-analyze "
                                + "security is not fully met: its badness is above 0 (weight " + check.weight()
                                + ", range " + check.range() + ")."));
                ObjectNode result = result(results, check.jsonField(), index,
                        named.contains(check.jsonField()) ? "error" : "warning",
                        scored.report().unit() + ": " + FailPredicate.describe(check) + "; exposure "
                                + scored.report().exposure().toPlainString() + " " + scored.report().predicate());
                location(result, scored.unit(), directives(check.id()), workingDirectory);
            }
            List<String> overall = scored.failures().stream().filter(f -> f.jsonField() == null)
                    .map(FailPredicate.Failure::message).toList();
            if (!overall.isEmpty()) {
                int index = ruleIndex.computeIfAbsent(OVERALL, f -> addRule(rules, f,
                        "The unit's overall exposure fails the gate", "The overall exposure of systemd-analyze "
                                + "security is above --threshold, or its predicate is one --fail-on-predicate names."));
                ObjectNode result = result(results, OVERALL, index, "error",
                        scored.report().unit() + ": " + String.join("; ", overall));
                location(result, scored.unit(), List.of(), workingDirectory);
            }
        }
        return log;
    }

    private static int addRule(ArrayNode rules, String id, String shortText, String fullText) {
        ObjectNode rule = rules.addObject().put("id", id).put("name", id);
        rule.putObject("shortDescription").put("text", shortText);
        rule.putObject("fullDescription").put("text", fullText);
        rule.putObject("properties").putArray("tags").add("security").add("systemd");
        return rules.size() - 1;
    }

    private static ObjectNode result(ArrayNode results, String ruleId, int index, String level, String text) {
        ObjectNode result = results.addObject().put("ruleId", ruleId).put("ruleIndex", index).put("level", level);
        result.putObject("message").put("text", text);
        return result;
    }

    /** The directives a check id names, in order: {@code User=/DynamicUser=} names User and DynamicUser. */
    static List<String> directives(String checkId) {
        Matcher m = DIRECTIVE.matcher(checkId);
        return m.results().map(r -> r.group(1)).toList();
    }

    /** Where the check's directive is in force, else the unit's section header, else the unit file alone. */
    private static void location(ObjectNode result, EffectiveUnit unit, List<String> keys, Path workingDirectory) {
        Optional<Location> where = unit.assignments().stream()
                .filter(a -> keys.contains(a.key()) && a.location().line() > 0)
                .reduce((a, b) -> b).map(Assignment::location)
                .or(() -> unit.fragmentPath().map(f -> sectionHeader(f, unit.type())));
        if (where.isEmpty()) {
            return;
        }
        ObjectNode physical = result.putArray("locations").addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(where.get().file(), workingDirectory));
        if (where.get().line() > 0) {
            physical.putObject("region").put("startLine", where.get().line());
        }
    }

    private static Location sectionHeader(Path fragment, String type) {
        String section = DropInDirectives.section(type);
        try {
            return UnitFile.read(fragment).elements().stream()
                    .filter(e -> e instanceof Element.SectionHeader h && h.name().equals(section))
                    .findFirst().map(e -> new Location(fragment, ((Element.SectionHeader) e).line()))
                    .orElse(new Location(fragment, 0));
        } catch (UnitFileException e) {
            return new Location(fragment, 0);
        }
    }

    /** A path under the working directory as a relative URI (code scanning resolves it against the checkout). */
    static String uri(Path file, Path workingDirectory) {
        Path absolute = file.toAbsolutePath().normalize();
        Path base = workingDirectory.toAbsolutePath().normalize();
        if (!absolute.startsWith(base)) {
            return absolute.toUri().toASCIIString();
        }
        String relative = base.relativize(absolute).toString().replace('\\', '/');
        try {
            return new URI(null, null, relative, null).toASCIIString();
        } catch (URISyntaxException e) {
            return absolute.toUri().toASCIIString();
        }
    }
}
