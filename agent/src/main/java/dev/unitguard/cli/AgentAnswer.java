package dev.unitguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Reads the agent's answer to a change (apply, rollback): the result JSON carries {@code outcome}; a refusal is a 422
 * problem whose type ends in {@code /apply-refused} (with {@code reasons}, {@code exitStatus}). Exit 0 applied or
 * unchanged, 1 refused, rolled back or rollback failed, 2 any other problem. With {@code --json} the answer is
 * printed as the agent sent it, a problem too (its {@code detail} and {@code pointer} name the bad field, as
 * docs/api.md says), so a script reads every answer in one layout.
 */
final class AgentAnswer {

    static final String REFUSED_TYPE = "/apply-refused";
    private static final Map<String, Integer> EXIT = Map.of("applied", 0, "unchanged", 0, "refused", 1,
            "rolled_back", 1, "rollback_failed", 1);

    private AgentAnswer() {
    }

    static int report(AgentSocket.Answer answer, boolean json, PrintWriter out, PrintWriter err) {
        JsonNode body = answer.body();
        String outcome = body.path("outcome").asText(
                body.path("type").asText("").endsWith(REFUSED_TYPE) ? "refused" : "");
        Integer exit = EXIT.get(outcome);
        if (exit == null) {
            if (json && body.isObject()) {
                out.println(Json.write(body));
            }
            err.println(answer.problemLine());
            return Main.EXIT_USAGE;
        }
        if (json) {
            out.println(Json.write(body));
        } else {
            human(out, outcome, body);
        }
        return exit;
    }

    private static void human(PrintWriter out, String outcome, JsonNode b) {
        String unit = b.path("unit").asText("?");
        switch (outcome) {
            case "applied" -> out.println(unit + ": applied (history entry " + b.path("historyId").asText() + ")"
                    + (b.path("restarted").asBoolean() ? ", restarted, active and healthy" : ", not restarted"));
            case "unchanged" -> out.println(unit + ": unchanged, nothing written, reloaded or restarted");
            case "refused" -> {
                out.println(unit + ": REFUSED, the service would break"
                        + (b.hasNonNull("exitStatus") ? " (status " + b.path("exitStatus").asText() + "/"
                        + b.path("exitStatusName").asText() + ")" : "") + "; nothing was changed:");
                b.path("reasons").forEach(r -> out.println("  - " + r.asText()));
            }
            case "rolled_back" -> {
                out.println(unit + ": FAILED and ROLLED BACK (the previous version runs again)");
                failure(out, b.path("failure"));
            }
            default -> {
                out.println(unit + ": FAILED and the ROLLBACK FAILED TOO: " + b.path("rollbackError").asText());
                failure(out, b.path("failure"));
                b.path("savedFiles").forEach(f -> out.println("  previous version saved in " + f.asText()));
            }
        }
    }

    private static void failure(PrintWriter out, JsonNode f) {
        out.println("  " + f.path("step").asText() + ": " + f.path("message").asText());
        if (f.hasNonNull("exitStatus")) {
            out.println("  exit status: " + f.path("exitStatus").asText());
        }
        if (f.path("journal").size() > 0) {
            out.println("  journal:");
            f.path("journal").forEach(l -> out.println("    " + l.asText()));
        }
    }
}
