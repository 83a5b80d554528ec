package dev.unitguard.daemons;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent as an operator calls it in the lab: curl on its Unix socket, as root. A call that does not answer 2xx
 * fails with the agent's problem document.
 */
record AgentCalls(Lab lab) {

    private static final String SOCKET = "/run/unitguard/agent.sock";

    /** {@code METHOD path} with {@code body} (JSON, or null): the answer's JSON. */
    JsonNode call(String method, String path, String body) {
        ExecResult result = send(method, path, body);
        if (!result.succeeded()) {
            throw new AssertionError(method + " " + path + " failed: " + result);
        }
        try {
            return Json.tree(result.stdout());
        } catch (JsonInputException e) {
            throw new AssertionError(method + " " + path + " answered no JSON: " + result, e);
        }
    }

    /** As {@link #call}, the raw result (the status shows as curl's exit code 22 with the problem as output). */
    ExecResult send(String method, String path, String body) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "120",
                "-X", method, "--unix-socket", SOCKET));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        command.add("http://localhost" + path);
        return lab.exec(Duration.ofMinutes(3), new byte[0], command.toArray(String[]::new));
    }
}
