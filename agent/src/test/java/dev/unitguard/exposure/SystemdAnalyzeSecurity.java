package dev.unitguard.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real {@code systemd-analyze security --offline=true} of one systemd release, the host's or a lab root's
 * (under chroot, with the fixtures bound at /mnt), and lists how a report differs from it. All files of a release are
 * analysed in two runs (text and JSON: one start-up each instead of two per unit); a unit the batch refused is run
 * again alone for its exact error.
 */
final class SystemdAnalyzeSecurity {

    private static final Pattern OVERALL =
            Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d) (\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The instance systemd-analyze --offline gives a template unit file: "i" in 252, "test_instance" later. */
    private static final Map<SystemdVersion, String> OFFLINE_INSTANCE = Map.of(SystemdVersion.V252, "i",
            SystemdVersion.V257, "test_instance", SystemdVersion.V262, "test_instance");

    /** What systemd-analyze printed for one unit file: the JSON checks and the text output, or its refusal. */
    record Output(int exitCode, String json, String text, String stderr) {
        boolean refused() {
            return exitCode != 0;
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** One release's systemd-analyze: the host's when {@code root} is /, else the one inside {@code root}. */
    record Release(SystemdVersion version, Path root) {
        boolean host() {
            return root.equals(Path.of("/"));
        }

        /** Where the release keeps its unit files (the service files the differential test scores). */
        Path units() {
            return root.resolve("usr/lib/systemd/system");
        }

        String offlineInstance() {
            return OFFLINE_INSTANCE.get(version);
        }
    }

    private SystemdAnalyzeSecurity() {
    }

    /** The version of the host's systemd-analyze; empty when it is not installed. */
    static java.util.Optional<SystemdVersion> hostVersion() {
        try {
            return java.util.Optional.of(SystemdVersion.parse(run(List.of("systemd-analyze", "--version"), false)
                    .stdout().lines().findFirst().orElse("")));
        } catch (IOException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * systemd-analyze's output for each file: files under the release's root by their path there, others (the
     * fixtures, all in {@code fixtures}) bound at /mnt inside it.
     */
    static Map<Path, Output> analyzeAll(Release release, Path fixtures, List<Path> files) throws IOException {
        List<String> paths = files.stream().map(f -> inside(release, fixtures, f)).toList();
        Result text = analyze(release, fixtures, paths, false);
        Result json = analyze(release, fixtures, paths, true);
        List<String[]> blocks = blocks(text.stdout());
        List<String> arrays = json.stdout().lines().filter(l -> l.startsWith("[")).toList();
        if (blocks.size() != arrays.size()) {
            throw new IllegalStateException("systemd " + release.version() + ": " + blocks.size() + " text reports but "
                    + arrays.size() + " JSON reports");
        }
        Map<Path, Output> outputs = new HashMap<>();
        int next = 0;
        for (int n = 0; n < files.size(); n++) {
            Path file = files.get(n);
            if (next < blocks.size() && blocks.get(next)[0].equals(TestUnitFiles.offlineName(file,
                    release.offlineInstance()))) {
                outputs.put(file, new Output(0, arrays.get(next), blocks.get(next)[1], ""));
                next++;
            } else {
                Result alone = analyze(release, fixtures, List.of(paths.get(n)), false);
                if (alone.exitCode() == 0) {
                    throw new IllegalStateException("systemd " + release.version() + ": " + file + " is scored alone "
                            + "but missing from the batch report (expected unit " + TestUnitFiles.offlineName(file,
                            release.offlineInstance()) + ", next reported: " + (next < blocks.size()
                            ? blocks.get(next)[0] : "none") + ")");
                }
                // Inside a root, systemd names the file by its path there: name it by its path here.
                outputs.put(file, new Output(alone.exitCode(), "", alone.stdout(),
                        alone.stderr().replace(paths.get(n), file.toString())));
            }
        }
        if (next != blocks.size()) {
            throw new IllegalStateException("systemd " + release.version() + ": reports left unmatched from "
                    + blocks.get(next)[0]);
        }
        return outputs;
    }

    /** systemd-analyze's output for one file (its directory bound at /mnt when the release is a lab root). */
    static Output analyze(Release release, Path file) throws IOException {
        return analyzeAll(release, file.getParent(), List.of(file)).get(file);
    }

    /** The text output cut into one {unit name, text} per unit, at each "Overall exposure level" line. */
    private static List<String[]> blocks(String text) {
        List<String[]> blocks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            current.append(line).append('\n');
            Matcher m = OVERALL.matcher(line);
            if (m.find()) {
                blocks.add(new String[] {m.group(1), current.toString()});
                current.setLength(0);
            }
        }
        return blocks;
    }

    private static String inside(Release release, Path fixtures, Path file) {
        if (release.host()) {
            return file.toString();
        }
        if (file.startsWith(release.root())) {
            return "/" + release.root().relativize(file);
        }
        if (file.startsWith(fixtures)) {
            return "/mnt/" + fixtures.relativize(file);
        }
        throw new IllegalArgumentException(file + " is neither under " + release.root() + " nor under " + fixtures);
    }

    private static Result analyze(Release release, Path fixtures, List<String> paths, boolean json) throws IOException {
        List<String> analyze = new ArrayList<>(List.of("systemd-analyze", "security", "--offline=true", "--no-pager"));
        if (json) {
            analyze.add("--json=short");
        }
        analyze.addAll(paths);
        if (release.host()) {
            return run(analyze, json);
        }
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" \"$2/mnt\" && mount --rbind /sys \"$2/sys\" && mount -t proc proc \"$2/proc\" "
                        + "&& shift 2 && exec chroot \"$0\" \"$@\"", release.root().toString(), fixtures.toString(),
                release.root().toString(), "env", "SYSTEMD_COLORS=0", "LC_ALL=C.UTF-8"));
        if (json) {
            command.add("SYSTEMD_ANALYZE_DEBUG=1");
        }
        command.addAll(analyze);
        return run(command, json);
    }

    /** Every difference between systemd-analyze's output and the report; empty when they agree. */
    static List<String> differences(Output expected, ExposureReport report) throws IOException {
        List<String> differences = new ArrayList<>();
        Matcher overall = OVERALL.matcher(expected.text());
        if (!overall.find()) {
            differences.add("no overall line in: " + expected.text());
            return differences;
        }
        compare(differences, "unit", overall.group(1), report.unit());
        compare(differences, "exposure", overall.group(2), report.exposure().toPlainString());
        compare(differences, "predicate", overall.group(3), report.predicate());
        compareChecks(differences, JSON.readTree(expected.json()), report);
        return differences;
    }

    private static void compareChecks(List<String> differences, JsonNode expected, ExposureReport report) {
        Map<String, SecurityCheckResult> ours = new LinkedHashMap<>();
        report.checks().forEach(c -> ours.put(c.id(), c));
        for (JsonNode check : expected) {
            String name = check.get("name").asText();
            SecurityCheckResult actual = ours.remove(name);
            if (actual == null) {
                differences.add(name + ": missing here");
                continue;
            }
            String prefix = name + " ";
            compare(differences, prefix + "json_field", check.get("json_field").asText(), actual.jsonField());
            compare(differences, prefix + "set", text(check.get("set")),
                    actual.badness() == null ? null : String.valueOf(actual.set()));
            compare(differences, prefix + "exposure", text(check.get("exposure")),
                    actual.exposure() == null ? null : actual.exposure().toPlainString());
            compare(differences, prefix + "description", text(check.get("description")), actual.description());
            compare(differences, prefix + "weight", text(check.get("weight")), String.valueOf(actual.weight()));
            compare(differences, prefix + "range", text(check.get("range")), String.valueOf(actual.range()));
            String badness = text(check.get("badness"));
            compare(differences, prefix + "badness", "18446744073709551615".equals(badness) ? null : badness,
                    actual.badness() == null ? null : String.valueOf(actual.badness()));
        }
        ours.keySet().forEach(name -> differences.add(name + ": not reported by systemd-analyze"));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static void compare(List<String> differences, String what, String expected, String actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(what + ": systemd-analyze " + expected + ", here " + actual);
        }
    }

    static Result run(List<String> command, boolean debugColumns) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SYSTEMD_COLORS", "0");
        builder.environment().put("LC_ALL", "C.UTF-8");
        if (debugColumns) {
            builder.environment().put("SYSTEMD_ANALYZE_DEBUG", "1"); // adds weight, badness and range to the JSON
        }
        Process process = builder.start();
        try {
            // stderr can be long (one warning per odd setting of ~200 units): drain it while stdout is read.
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return process.getErrorStream().readAllBytes();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String stderr = new String(err.join(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), stdout, stderr);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command, e);
        }
    }
}
