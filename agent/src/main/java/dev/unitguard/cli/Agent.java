package dev.unitguard.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/** Sends one request to the local agent and reports its answer; an unreachable agent is exit 2. */
final class Agent {

    private Agent() {
    }

    static int call(CommandSpec spec, AgentOptions options, String method, String path, Optional<String> body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AgentClient.Response response;
        try {
            response = new AgentClient(options.socket).send(method, path, body, options.headers());
        } catch (AgentClient.Unreachable e) {
            err.println("unitguard: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        return AgentAnswer.report(response, options.json, out, err);
    }
}
