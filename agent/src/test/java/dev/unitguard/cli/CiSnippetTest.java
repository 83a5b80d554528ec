package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.ProcessResult;
import dev.unitguard.host.ProcessRunner;
import dev.unitguard.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ci.md cannot rot: its sample unit and manifest are written to a repository, every unitguard command of its
 * GitHub Actions and GitLab CI snippets runs there in bash ({@code unitguard} being this build's command line) and
 * exits 0, and its "failing gate" example prints what the page says, with exit 1, on the sample without hardening.
 */
class CiSnippetTest {

    private static final Path DOC = Path.of("../docs/ci.md");
    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path repo;

    @Test
    void documentedCommands_runOnTheSample_exitZero() throws Exception {
        String doc = Files.readString(DOC);
        writeSamples(doc);
        Set<String> commands = new LinkedHashSet<>();
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1).equals("yaml")) {
                m.group(2).lines().map(String::strip).map(l -> l.startsWith("- ") ? l.substring(2) : l)
                        .filter(l -> l.startsWith("unitguard ") || l.startsWith("for unit in ")).forEach(commands::add);
            }
        }
        assertEquals(4, commands.size(), "the snippets' distinct commands: " + commands);
        for (String command : commands) {
            ProcessResult.Exited run = bash(command);
            assertEquals(0, run.status(), command + "\n" + run.stdout().text() + run.stderr().text());
        }
        assertEquals("2.1.0", Json.tree(Files.readString(repo.resolve("unitguard.sarif"))).get("version").asText());
    }

    @Test
    void failingGateExample_printsWhatThePageSays() throws Exception {
        String doc = Files.readString(DOC);
        String service = writeSamples(doc);
        String loose = service.substring(0, service.indexOf("StateDirectory=app\n") + "StateDirectory=app\n".length())
                + "\n" + service.substring(service.indexOf("[Install]"));
        Files.writeString(repo.resolve("deploy/systemd/app.service"), loose);
        String example = doc.substring(doc.indexOf("## What a failing gate prints"));
        Matcher m = BLOCK.matcher(example);
        assertTrue(m.find(), "the example block");
        List<String> lines = m.group(2).lines().toList();
        String command = lines.get(0).substring("$ ".length());
        int echo = lines.indexOf("$ echo $?");

        ProcessResult.Exited run = bash(command);

        assertEquals(String.join("\n", lines.subList(1, echo)) + "\n", run.stdout().text() + run.stderr().text());
        assertEquals(Integer.parseInt(lines.get(echo + 1)), run.status());
    }

    /** Writes the blocks whose first line is "# deploy/..." under the repository; returns the unit's text. */
    private String writeSamples(String doc) throws Exception {
        Matcher m = BLOCK.matcher(doc);
        List<String> written = new ArrayList<>();
        String service = null;
        while (m.find()) {
            String body = m.group(2);
            if (body.startsWith("# deploy/")) {
                String name = body.substring(2, body.indexOf('\n'));
                String text = body.substring(body.indexOf('\n') + 1);
                Path file = repo.resolve(name);
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
                written.add(name);
                service = name.endsWith(".service") ? text : service;
            }
        }
        assertEquals(List.of("deploy/systemd/app.service", "deploy/systemd/app.requires.json"), written);
        return service;
    }

    private ProcessResult.Exited bash(String command) throws Exception {
        String script = "unitguard() { java -cp \"$UG_CP\" dev.unitguard.cli.Main \"$@\"; }\nset -e\ncd \"$UG_REPO\"\n"
                + command + "\n";
        ProcessResult result = ProcessRunner.withTimeout(Duration.ofMinutes(2))
                .environment(Map.of("UG_CP", System.getProperty("java.class.path"), "UG_REPO", repo.toString()))
                .run(List.of("bash", "-c", script));
        assertTrue(result instanceof ProcessResult.Exited, result.toString());
        return (ProcessResult.Exited) result;
    }
}
