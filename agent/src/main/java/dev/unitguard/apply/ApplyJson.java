package dev.unitguard.apply;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.unitguard.json.Json;
import java.io.IOException;

/**
 * The engine's own JSON files (journal, history, idempotency records): the one {@link Json} configuration, written
 * on one line. One difference, on reading: a field this version does not know is skipped, not refused, because the
 * files outlive the agent that wrote them (an upgrade, a downgrade) and are written by the agent alone.
 */
final class ApplyJson {

    private ApplyJson() {
    }

    static String write(Object value) {
        return Json.compact(value);
    }

    static <T> T read(String json, Class<T> type) throws IOException {
        ObjectReader reader = Json.mapper().readerFor(type)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return reader.readValue(json);
    }
}
