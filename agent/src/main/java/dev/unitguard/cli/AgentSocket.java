package dev.unitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --socket} option and one request over it: what every command that talks to the local agent shares. */
final class AgentSocket {

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "/run/unitguard/agent.sock",
            description = "The agent's Unix socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    /** The agent's answer: its status, its body as sent, and that body read as JSON (an empty object when blank). */
    record Answer(int status, String text, JsonNode body) {

        /** What a problem answer says on stderr: its status, title and detail in one line. */
        String problemLine() {
            return "unitguard: the agent answered " + status + " " + body.path("title").asText("") + ": "
                    + body.path("detail").asText(text);
        }
    }

    /**
     * Sends one request. Empty when there is no usable answer (no agent at the socket, no answer in time, a body that
     * is not JSON): said in one line on {@code err}, the command's exit status is then {@link Main#EXIT_USAGE}.
     */
    Optional<Answer> send(String method, String path, Optional<String> body, Duration answerTimeout,
                          Map<String, String> headers, PrintWriter err) {
        AgentClient.Response response;
        try {
            response = new AgentClient(socket, answerTimeout).send(method, path, body, headers);
        } catch (AgentClient.Failure e) {
            err.println("unitguard: " + e.getMessage());
            return Optional.empty();
        }
        try {
            JsonNode json = Json.tree(response.body().isBlank() ? "{}" : response.body());
            return Optional.of(new Answer(response.status(), response.body(), json));
        } catch (JsonInputException e) {
            err.println("unitguard: the agent answered " + response.status() + " with a body that is not JSON");
            return Optional.empty();
        }
    }
}
