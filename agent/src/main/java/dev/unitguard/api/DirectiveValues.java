package dev.unitguard.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.JsonInputException;
import java.util.ArrayList;
import java.util.List;

/** The value of one member of a body's {@code set}: a string (one line of the drop-in), or an array of them. */
record DirectiveValues(List<String> values) {

    DirectiveValues {
        values = List.copyOf(values);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static DirectiveValues of(JsonNode value) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : value.isArray() ? value : List.of(value)) {
            if (!v.isTextual()) {
                throw new JsonInputException("expected a string or an array of strings");
            }
            values.add(v.textValue());
        }
        return new DirectiveValues(values);
    }
}
