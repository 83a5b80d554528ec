package dev.unitguard.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON form of unitguard's answers, shared by the CLI's {@code --json} and the agent's bodies so both print
 * the same bytes: pretty-printed, fields in declaration order, enums as their {@code toString} (severities in lower
 * case).
 */
public final class ReportJson {

    /** Thread-safe once configured; readers may use it too. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);

    private ReportJson() {
    }

    /** {@code value} as JSON, without a final newline. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
