package dev.unitguard.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.check.ReportJson;
import java.util.Iterator;
import java.util.Set;

/** JSON bodies of the API: Jackson, pretty-printed as the CLI's {@code --json}, fields in declaration order. */
final class JsonBodies {

    static final ObjectMapper MAPPER = ReportJson.MAPPER;

    private JsonBodies() {
    }

    static String write(Object value) {
        return ReportJson.write(value) + "\n";
    }

    /**
     * A request body that must be one JSON object whose fields are all in {@code fields}; anything else is a 400
     * problem naming what was wrong (the JSON error with line and column, or the unknown field).
     */
    static JsonNode object(String body, Set<String> fields) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw Problem.Kind.BAD_REQUEST.exception("the body is not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()));
        }
        if (root == null || !root.isObject()) {
            throw Problem.Kind.BAD_REQUEST.exception("expected a JSON object at $");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw Problem.Kind.BAD_REQUEST.exception("unknown field \"" + name + "\" at $");
            }
        }
        return root;
    }
}
