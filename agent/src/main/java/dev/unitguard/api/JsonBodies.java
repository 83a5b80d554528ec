package dev.unitguard.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.unitguard.check.ReportJson;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

/** JSON bodies of the API: Jackson, pretty-printed as the CLI's {@code --json}, fields in declaration order. */
final class JsonBodies {

    static final ObjectMapper MAPPER = ReportJson.MAPPER;
    /** Bodies are read strictly: a member twice in one object is an error, not "the last one wins". */
    private static final ObjectReader READER = MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private JsonBodies() {
    }

    static String write(Object value) {
        return ReportJson.write(value) + "\n";
    }

    /**
     * The request's body as text, decoded strictly: bytes that are not UTF-8 (an overlong form, a lone surrogate, a
     * truncated sequence) are a 400 naming the offset, never replaced by U+FFFD. No body is the empty string.
     */
    static String text(RoutingContext ctx) {
        RequestBody body = ctx.body();
        if (body == null || body.buffer() == null) {
            return "";
        }
        return utf8(body.buffer().getBytes());
    }

    static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw Problem.Kind.BAD_REQUEST.exception("the body is not valid UTF-8: byte 0x"
                    + String.format("%02X", bytes[in.position()] & 0xff) + " at offset " + in.position()
                    + " does not " + (result.isMalformed() ? "form a character" : "map to a character"));
        }
        return out.flip().toString();
    }

    /**
     * A request body that must be one JSON object whose fields are all in {@code fields}; anything else is a 400
     * problem naming what was wrong (the JSON error with line and column, or the unknown field).
     */
    static JsonNode object(String body, Set<String> fields) {
        JsonNode root;
        try {
            root = READER.readTree(body == null ? "" : body);
        } catch (StreamReadException e) {
            JsonParser p = e.getProcessor();
            if (e.getOriginalMessage().startsWith("Duplicate field ") && p != null) {
                throw Problem.Kind.BAD_REQUEST.exception("duplicate member \"" + p.getParsingContext().getCurrentName()
                        + "\" at " + path(p.getParsingContext()) + " (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + "): each member may appear once");
            }
            throw notJson(e);
        } catch (JsonProcessingException e) {
            throw notJson(e);
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

    private static Problem.ProblemException notJson(JsonProcessingException e) {
        return Problem.Kind.BAD_REQUEST.exception("the body is not valid JSON: "
                + e.getOriginalMessage().lines().findFirst().orElse("")
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr()));
    }

    /** The JSON path of the object or array a parsing context reads: {@code $.set} inside the member "set". */
    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return "$" + path;
    }
}
