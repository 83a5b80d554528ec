package dev.unitguard.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.json.JsonPath;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON bodies of the API, through the one {@link Json} configuration: answers pretty-printed as the CLI's
 * {@code --json}; requests decoded strictly as UTF-8, then read into records, every error a 400 problem naming the
 * value ({@link Problem.Kind#exception(JsonPath, String)}).
 */
final class JsonBodies {

    static final ObjectMapper MAPPER = Json.mapper();
    private static final JsonPath REQUIRES = JsonPath.of("requires");

    private JsonBodies() {
    }

    static String write(Object value) {
        return Json.write(value) + "\n";
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
            throw Problem.Kind.BAD_REQUEST.exception(JsonPath.ROOT, "the body is not valid UTF-8: byte 0x"
                    + String.format("%02X", bytes[in.position()] & 0xff) + " at offset " + in.position()
                    + " does not " + (result.isMalformed() ? "form a character" : "map to a character"));
        }
        return out.flip().toString();
    }

    /**
     * A request body read into {@code type}, whose records check their values as they are made; a body that is not
     * one JSON object of that shape (unknown or duplicate member, wrong type, value refused) is a 400 problem.
     */
    static <T> T read(String body, Class<T> type) {
        try {
            return Json.read(body == null ? "" : body, type);
        } catch (JsonInputException e) {
            throw Problem.Kind.BAD_REQUEST.exception(e);
        }
    }

    /** A body that may be left out: no body, or only white space, is {@code {}}. */
    static <T> T readOptional(String body, Class<T> type) {
        return read(body == null || body.isBlank() ? "{}" : body, type);
    }

    /** The body's {@code requires} manifest (none when absent); a bad one is a 400 naming its value. */
    static Requirements requirements(RequirementsManifest.Document requires) {
        if (requires == null) {
            return Requirements.none();
        }
        try {
            return RequirementsManifest.requirements(requires, "requires");
        } catch (ManifestException e) {
            throw Problem.Kind.BAD_REQUEST.exception(REQUIRES.resolve(e.at().orElse(JsonPath.ROOT)), e.reason());
        }
    }
}
