package dev.unitguard.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small JSON document read into plain Java values with jackson-core's streaming parser alone, as strict as
 * {@link Json}'s mapper about the text: a member twice in one object and tokens after the value are errors. For
 * what is read at every start before READY=1 (agent.json): building the mapper (databind, the jsr310 module, about
 * 500 classes) took 0.2 to 0.5 s of a cold start on this path, the parser alone a fifth of that.
 *
 * <p>Values: an object is a {@code Map<String, Object>} in document order, an array a {@code List<Object>}, a string
 * a {@code String}, an integer a {@code Long} or, beyond it, a {@code BigInteger}, any other number a
 * {@code Double} (as in the mapper's trees), {@code true} and {@code false} a {@code Boolean}, {@code null}
 * {@link Null#NULL}.
 */
public final class JsonValues {

    /** JSON's {@code null}, which collections of this package cannot hold as Java's. */
    public enum Null {
        NULL;

        @Override
        public String toString() {
            return "null";
        }
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonValues() {
    }

    /**
     * The one value of {@code json}, empty when the text holds none (only white space).
     *
     * @throws JsonProcessingException for text that is not one JSON value: its original message and location name
     *                                 what and where
     */
    public static Optional<Object> parse(String json) throws JsonProcessingException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.empty();
            }
            Object value = value(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + parser.currentToken()
                        + ") found after value");
            }
            return Optional.of(value);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String source does not fail to read
        }
    }

    /** {@code value} (one of this class's values) as compact JSON text, as a Jackson tree prints it. */
    public static String render(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName(); // t is FIELD_NAME: the parser allows nothing else here
                    members.put(name, value(parser, parser.nextToken()));
                }
                yield members;
            }
            case START_ARRAY -> {
                List<Object> elements = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    elements.add(value(parser, t));
                }
                yield elements;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue(); // as the mapper's trees hold it
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> Null.NULL;
            default -> throw new JsonParseException(parser, "Unexpected token " + token);
        };
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof Map<?, ?> members) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> member : members.entrySet()) {
                generator.writeFieldName((String) member.getKey());
                write(generator, member.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> elements) {
            generator.writeStartArray();
            for (Object element : elements) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Long l) {
            generator.writeNumber(l);
        } else if (value instanceof BigInteger i) {
            generator.writeNumber(i);
        } else if (value instanceof Double d) {
            generator.writeNumber(d);
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (value == Null.NULL) {
            generator.writeNull();
        } else {
            throw new IllegalArgumentException("not a JSON value of JsonValues: " + value);
        }
    }
}
