package dev.unitguard.api;

import dev.unitguard.check.ReportJson;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON bodies of the API: Jackson, pretty-printed as the CLI's {@code --json}, fields in declaration order. */
final class JsonBodies {

    static final ObjectMapper MAPPER = ReportJson.MAPPER;

    private JsonBodies() {
    }

    static String write(Object value) {
        return ReportJson.write(value) + "\n";
    }
}
