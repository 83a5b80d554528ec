package dev.unitguard.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.unitguard.host.Access;
import dev.unitguard.host.RegularFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the requirements manifest ({@code requires.json}):
 * <pre>{ "user": "kanakku", "group": "kanakku",
 *   "paths": [ {"path": "/var/lib/kanakku", "access": "rw"}, {"path": "/etc/ssl/key.pem", "access": "r", "secret": true} ],
 *   "devices": ["/dev/ttyUSB0"] }</pre>
 * Every error is one line naming the file and the JSON path of the bad field.
 */
public final class RequirementsManifest {

    private static final ObjectMapper MAPPER = strictMapper();

    private RequirementsManifest() {
    }

    record PathJson(String path, String access, Boolean secret) {
    }

    record ManifestJson(String user, String group, List<PathJson> paths, List<String> devices) {
    }

    /** The largest manifest file read: 4 MiB. */
    public static final long MAX_BYTES = 4L << 20;
    /** The most entries in {@code paths} and in {@code devices}: 10,000. */
    public static final int MAX_ENTRIES = 10_000;
    /** The longest path, in UTF-8 bytes: PATH_MAX (4096) less the terminating NUL. */
    public static final int MAX_PATH_BYTES = 4095;

    public static Requirements read(Path file) throws ManifestException {
        return parse(text(file), file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    /**
     * The text of a manifest file: a regular file (a FIFO or device is refused before it is opened) of at most
     * {@link #MAX_BYTES}, in UTF-8.
     */
    public static String text(Path file) throws ManifestException {
        byte[] bytes;
        try {
            bytes = RegularFile.read(file, MAX_BYTES);
        } catch (RegularFile.Refused e) {
            throw new ManifestException(file + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ManifestException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ManifestException(file + ": permission denied");
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException(file + ": not valid UTF-8");
        }
    }

    public static Requirements parse(String json, String displayName) throws ManifestException {
        ManifestJson raw;
        try {
            raw = MAPPER.readValue(json, ManifestJson.class);
        } catch (JsonProcessingException e) {
            throw new ManifestException(displayName + ": " + describe(e));
        }
        if (raw == null) {
            throw new ManifestException(displayName + ": expected a JSON object at $");
        }
        return convert(raw, displayName);
    }

    private static Requirements convert(ManifestJson raw, String name) throws ManifestException {
        List<PathRequirement> paths = new ArrayList<>();
        List<PathJson> rawPaths = raw.paths() == null ? List.of() : raw.paths();
        List<String> devices = raw.devices() == null ? List.of() : raw.devices();
        atMost(rawPaths, name, "$.paths");
        atMost(devices, name, "$.devices");
        for (int i = 0; i < rawPaths.size(); i++) {
            paths.add(convert(rawPaths.get(i), name, "$.paths[" + i + "]"));
        }
        for (int i = 0; i < devices.size(); i++) {
            String device = devices.get(i);
            if (device != null) {
                plainPath(device, name, "$.devices[" + i + "]");
            }
            if (device == null || !device.startsWith("/")) {
                throw new ManifestException(name + ": device must be an absolute path: " + quote(device)
                        + " at $.devices[" + i + "]");
            }
        }
        return new Requirements(nonEmpty(raw.user(), name, "$.user"), nonEmpty(raw.group(), name, "$.group"),
                paths, devices);
    }

    private static void atMost(List<?> entries, String name, String at) throws ManifestException {
        if (entries.size() > MAX_ENTRIES) {
            throw new ManifestException(name + ": more than " + MAX_ENTRIES + " entries (" + entries.size()
                    + ") at " + at);
        }
    }

    /** A path of at most {@link #MAX_PATH_BYTES} without control characters (C0, DEL). */
    private static void plainPath(String path, String name, String at) throws ManifestException {
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ManifestException(name + ": path longer than " + MAX_PATH_BYTES + " bytes at " + at);
        }
        int control = firstControl(path);
        if (control >= 0) {
            throw new ManifestException(name + ": control character " + String.format("U+%04X", (int) path.charAt(
                    control)) + " in path at " + at);
        }
    }

    private static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    private static PathRequirement convert(PathJson p, String name, String at) throws ManifestException {
        if (p == null) {
            throw new ManifestException(name + ": expected an object at " + at);
        }
        if (p.path() == null) {
            throw new ManifestException(name + ": missing field \"path\" at " + at);
        }
        plainPath(p.path(), name, at + ".path");
        if (!p.path().startsWith("/")) {
            throw new ManifestException(name + ": path must be absolute: " + quote(p.path()) + " at " + at + ".path");
        }
        if (p.access() == null) {
            throw new ManifestException(name + ": missing field \"access\" at " + at);
        }
        try {
            return new PathRequirement(p.path(), Access.parse(p.access()), Boolean.TRUE.equals(p.secret()));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(name + ": " + e.getMessage() + " at " + at + ".access");
        }
    }

    private static Optional<String> nonEmpty(String value, String name, String at) throws ManifestException {
        if (value != null && value.isBlank()) {
            throw new ManifestException(name + ": empty value at " + at);
        }
        if (value != null && firstControl(value) >= 0) {
            throw new ManifestException(name + ": control character in name at " + at);
        }
        return Optional.ofNullable(value);
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field \"" + u.getPropertyName() + "\" at " + jsonPath(u.getPath());
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "expected " + typeName(m.getTargetType()) + " at " + jsonPath(m.getPath());
        }
        if (e instanceof MismatchedInputException m) {
            return "expected " + typeName(m.getTargetType()) + " at $";
        }
        String message = e.getOriginalMessage() == null ? "invalid JSON" : e.getOriginalMessage().lines().findFirst()
                .orElse("invalid JSON");
        return e.getLocation() == null ? "invalid JSON: " + message
                : "invalid JSON at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                        + ": " + message;
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    static String jsonPath(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Collection).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
