package dev.unitguard.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * unitguard's one JSON configuration. Reading is strict: an unknown field, a member twice in one object, tokens after
 * the value, a number where a string belongs (or the reverse), a fraction where an integer belongs, a string where an
 * array belongs are all errors, reported as a {@link JsonInputException} naming the value ({@link #read}). Writing:
 * fields in declaration order, enums as their {@code toString} (severities in lower case), {@code Instant} and
 * {@code Duration} in ISO-8601 (jsr310), pretty-printed ({@link #write}, the CLI's {@code --json} and the API's
 * bodies) or on one line ({@link #compact}, the engine's files and change results). The mapper is shared and
 * thread-safe: never reconfigure it; a component that needs another behaviour takes a reader or writer of it, or a
 * {@code copy()} and says why.
 */
public final class Json {

    private static final ObjectMapper MAPPER = build();
    private static final ObjectWriter COMPACT = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** The strict mapper, for trees ({@code readTree}, {@code createObjectNode}) and for readers and writers. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code value} pretty-printed, without a final newline. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@code value} on one line. */
    public static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@code json}, one value of {@code type}; its records validate themselves in their constructors. Nothing, or
     * {@code null}, is an error too ({@code $: expected an object}).
     */
    public static <T> T read(String json, Class<T> type) throws JsonInputException {
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw describe(e);
        }
        if (value == null) {
            throw new JsonInputException(JsonPath.ROOT, "expected " + typeName(type));
        }
        return value;
    }

    /** {@code json} as a tree, read as strictly as {@link #read} (no unknown fields to refuse in a tree). */
    public static JsonNode tree(String json) throws JsonInputException {
        return read(json, JsonNode.class);
    }

    /**
     * What a Jackson error says, as the value it names and the reason. A type Jackson cannot map at all is a bug of
     * unitguard, not of the input: {@link IllegalStateException}.
     */
    public static JsonInputException describe(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            throw new IllegalStateException("cannot map JSON: " + e.getOriginalMessage(), e);
        }
        JsonPath at = e instanceof JsonMappingException m ? path(m.getPath()) : JsonPath.ROOT;
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonInputException refused) { // a record's constructor said no
                return refused.within(at);
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            Collection<Object> known = u.getKnownPropertyIds();
            return new JsonInputException(at, "unknown field" + (known == null || known.isEmpty() ? ""
                    : " (known: " + String.join(", ", new TreeSet<>(known.stream().map(String::valueOf).toList()))
                    + ")"));
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("Trailing token")) {
            return new JsonInputException(JsonPath.ROOT, "more JSON after the value" + (m.getLocation() == null ? ""
                    : " at line " + m.getLocation().getLineNr() + ", column " + m.getLocation().getColumnNr()));
        }
        if (e instanceof MismatchedInputException m) {
            return new JsonInputException(at, "expected " + typeName(m.getTargetType()));
        }
        StreamReadException s = streamError(e);
        if (s != null && s.getProcessor() != null) {
            JsonParser p = s.getProcessor();
            String where = s.getLocation() == null ? "" : " (line " + s.getLocation().getLineNr() + ", column "
                    + s.getLocation().getColumnNr() + ")";
            if (s.getOriginalMessage().startsWith("Duplicate field ")) {
                return new JsonInputException(path(p.getParsingContext()), "duplicate member" + where
                        + ": each member may appear once");
            }
            if (s instanceof InputCoercionException) {
                return new JsonInputException(path(p.getParsingContext()), "number out of range" + where);
            }
        }
        return new JsonInputException(JsonPath.ROOT, "not valid JSON: " + (e.getOriginalMessage() == null ? ""
                : e.getOriginalMessage().lines().findFirst().orElse("")) + (e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
    }

    /** The parser's own error, thrown as it is or wrapped by databind on its way out of a deserializer. */
    private static StreamReadException streamError(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof StreamReadException s) {
                return s;
            }
        }
        return null;
    }

    private static JsonPath path(List<JsonMappingException.Reference> references) {
        JsonPath path = JsonPath.ROOT;
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path = path.member(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path = path.index(ref.getIndex());
            }
        }
        return path;
    }

    /** The value the parser was at: the member it read last, or the element of the array. */
    private static JsonPath path(JsonStreamContext context) {
        Deque<JsonStreamContext> chain = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        JsonPath path = JsonPath.ROOT;
        for (JsonStreamContext c : chain) {
            if (c.inArray()) {
                path = path.index(Math.max(c.getCurrentIndex(), 0));
            } else if (c.getCurrentName() != null) {
                path = path.member(c.getCurrentName());
            }
        }
        return path;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() || !JsonNode.class.isAssignableFrom(type)
                ? "an object" : "a JSON value";
    }

    private static ObjectMapper build() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
        // a scalar is read only as its own JSON type (an integer may be a float); never "1" for 1 or 1 for "1"
        Map<LogicalType, List<CoercionInputShape>> refused = Map.of(
                LogicalType.Textual, List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean),
                LogicalType.Boolean, List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.String),
                LogicalType.Integer, List.of(CoercionInputShape.Float, CoercionInputShape.Boolean,
                        CoercionInputShape.String),
                LogicalType.Float, List.of(CoercionInputShape.Boolean, CoercionInputShape.String));
        refused.forEach((type, shapes) -> shapes.forEach(
                shape -> mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail)));
        mapper.coercionConfigFor(LogicalType.Collection).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
