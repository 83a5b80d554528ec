package dev.unitguard.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The one JSON configuration: what it refuses, how it names the value at fault, how it writes. */
class JsonTest {

    record Inner(String name, List<String> values) {
    }

    record Body(Inner inner, List<Inner> list, Boolean flag, Long count, Map<String, String> map) {
    }

    record Checked(Long seconds) {
        Checked {
            if (seconds != null && seconds < 1) {
                throw new JsonInputException(JsonPath.of("seconds"), "expected at least 1, got " + seconds);
            }
        }
    }

    record Outer(Checked checked) {
    }

    record Delegated(String text) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Delegated of(String text) {
            if (text.isEmpty()) {
                throw new JsonInputException("empty");
            }
            return new Delegated(text);
        }
    }

    record Times(Instant at, Duration timeout) {
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"inner\": {\"nme\": \"x\"}}|$.inner.nme: unknown field (known: name, values)|/inner/nme",
            "{\"flag\": true, \"flag\": false}|$.flag: duplicate member (line 1, column 22): each member may appear once|/flag",
            "{\"map\": {\"a/b\": \"1\", \"a/b\": \"2\"}}|$.map.a/b: duplicate member (line 1, column 27): each member may appear once|/map/a~1b",
            "{\"list\": [{}, {\"name\": 1}]}|$.list[1].name: expected a string|/list/1/name",
            "{\"inner\": {\"values\": \"x\"}}|$.inner.values: expected an array|/inner/values",
            "{\"flag\": \"true\"}|$.flag: expected true or false|/flag",
            "{\"flag\": 1}|$.flag: expected true or false|/flag",
            "{\"count\": 1.5}|$.count: expected an integer|/count",
            "{\"count\": \"3\"}|$.count: expected an integer|/count",
            "{\"count\": 99999999999999999999}|$.count: number out of range (line 1, column 31)|/count",
            "{} {}|$: more JSON after the value at line 1, column 4|''",
            "[]|$: expected an object|''",
            "null|$: expected an object|''",
            "''|$: expected an object|''",
    })
    void read_badInput_namesTheValue(String json, String message, String pointer) {
        JsonInputException e = assertThrows(JsonInputException.class, () -> Json.read(json, Body.class));

        assertEquals(message, e.getMessage());
        assertEquals(pointer, e.at().pointer());
    }

    @Test
    void read_recordRefuses_pathMadeAbsolute() {
        JsonInputException e = assertThrows(JsonInputException.class,
                () -> Json.read("{\"checked\": {\"seconds\": 0}}", Outer.class));

        assertEquals("$.checked.seconds: expected at least 1, got 0", e.getMessage());
        assertEquals("/checked/seconds", e.at().pointer());
        assertEquals("expected at least 1, got 0", e.reason());
    }

    @Test
    void read_delegatingCreatorRefuses_namesTheMember() {
        record Holder(Map<String, Delegated> set) {
        }
        JsonInputException d = assertThrows(JsonInputException.class,
                () -> Json.read("{\"set\": {\"Key\": \"\"}}", Holder.class));
        assertEquals("$.set.Key: empty", d.getMessage());
    }

    @Test
    void write_instantAndDuration_iso8601RoundTrip() {
        Times times = new Times(Instant.parse("2026-11-30T01:02:03.456Z"), Duration.ofSeconds(90));

        assertEquals("{\"at\":\"2026-11-30T01:02:03.456Z\",\"timeout\":\"PT1M30S\"}", Json.compact(times));
        assertEquals(times, Json.read(Json.compact(times), Times.class));
    }

    @Test
    void jsonPath_bothForms() {
        JsonPath path = JsonPath.of("requires", "paths").index(3).member("a~b/c");

        assertEquals("$.requires.paths[3].a~b/c", path.toString());
        assertEquals("/requires/paths/3/a~0b~1c", path.pointer());
        assertEquals("", JsonPath.ROOT.pointer());
        assertEquals("$", JsonPath.ROOT.toString());
    }
}
