package dev.unitguard.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonValues} against {@link Json}'s mapper, the strict reader it stands in for at start. */
class JsonValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"a\\u00e9\\n\\\"\"", "0", "-7", "9223372036854775807",
        "9223372036854775808", "-92233720368547758080", "1.5", "1e3", "-0.0", "true", "false", "null",
        " {\"a\": {\"b\": [1, 2.25, \"x\", null, {\"c\": false}]}, \"d\": []} ", "[[[[[]]]]]", "{\"\": \"\"}"})
    void parse_render_asTheMappersTreePrints(String json) throws Exception {
        assertEquals(Json.mapper().readTree(json).toString(), JsonValues.render(JsonValues.parse(json).orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1, \"a\": 2}", "{\"a\": {\"b\": 1, \"b\": 1}}", "{} x", "[1] [2]", "{\"a\": }",
        "[1,]", "{'a': 1}", "01", "NaN", "{\"a\" 1}", "\"unterminated"})
    void parse_textTheMapperRefuses_refused(String json) {
        assertThrows(JsonProcessingException.class, () -> Json.mapper().readValue(json, Object.class));
        assertThrows(JsonProcessingException.class, () -> JsonValues.parse(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n\t "})
    void parse_noValue_empty(String json) throws Exception {
        assertEquals(Optional.empty(), JsonValues.parse(json));
    }
}
