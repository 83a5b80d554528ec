package dev.unitguard.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.unitguard.host.Access;
import dev.unitguard.host.RegularFile;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.json.JsonPath;
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
 * Every error is one line naming the file and the JSON path of the bad field ({@link ManifestException#at()}). The
 * JSON is read by the one strict mapper ({@link Json}) into {@link Document}, which a request body may also hold
 * (the agent's {@code requires}) and turn into {@link Requirements} with {@link #requirements}.
 */
public final class RequirementsManifest {

    private RequirementsManifest() {
    }

    /** One entry of {@code paths}, as written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PathEntry(String path, String access, Boolean secret, String learned) {
    }

    /** One socket of {@code network.listen} or {@code network.connect}, as written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SocketEntry(String protocol, String address, Integer port, String path, String learned) {
    }

    /** The {@code network} object, as written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NetworkEntry(List<SocketEntry> listen, List<SocketEntry> connect, List<String> families) {
    }

    /**
     * How a learned manifest was learned ({@code unitguard learn}); informative, never judged. {@code capabilities}
     * (mode {@code trace}) says for each capability of the manifest which traced call used it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LearnedEntry(String mode, Long durationSeconds, Integer samples, String at,
                               java.util.Map<String, String> capabilities) {

        /** Without notes on capabilities (mode {@code observe}). */
        public LearnedEntry(String mode, Long durationSeconds, Integer samples, String at) {
            this(mode, durationSeconds, samples, at, null);
        }
    }

    /** The manifest as written, before its values are checked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Document(String user, String group, List<PathEntry> paths, List<String> devices,
                           NetworkEntry network, List<String> syscalls, List<String> capabilities,
                           LearnedEntry learned) {

        /** Paths and devices only. */
        public Document(String user, String group, List<PathEntry> paths, List<String> devices) {
            this(user, group, paths, devices, null, null, null, null);
        }
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
        Document raw;
        try {
            raw = Json.read(json, Document.class);
        } catch (JsonInputException e) {
            throw new ManifestException(displayName, e.at(), e.reason());
        }
        return requirements(raw, displayName);
    }

    /** The requirements of a manifest read already; errors name {@code name} and the path inside the manifest. */
    public static Requirements requirements(Document raw, String name) throws ManifestException {
        List<PathRequirement> paths = new ArrayList<>();
        List<PathEntry> rawPaths = raw.paths() == null ? List.of() : raw.paths();
        List<String> devices = raw.devices() == null ? List.of() : raw.devices();
        atMost(rawPaths, name, JsonPath.of("paths"));
        atMost(devices, name, JsonPath.of("devices"));
        for (int i = 0; i < rawPaths.size(); i++) {
            paths.add(convert(rawPaths.get(i), name, JsonPath.of("paths").index(i)));
        }
        for (int i = 0; i < devices.size(); i++) {
            String device = devices.get(i);
            JsonPath at = JsonPath.of("devices").index(i);
            if (device != null) {
                plainPath(device, name, at);
            }
            if (device == null || !device.startsWith("/")) {
                throw new ManifestException(name, at, "device must be an absolute path: " + quote(device));
            }
        }
        return new Requirements(nonEmpty(raw.user(), name, JsonPath.of("user")),
                nonEmpty(raw.group(), name, JsonPath.of("group")), paths, devices,
                ManifestNetwork.network(raw.network(), name),
                ManifestNetwork.names(raw.syscalls(), name, JsonPath.of("syscalls"), ManifestNetwork.SYSCALL),
                ManifestNetwork.names(raw.capabilities(), name, JsonPath.of("capabilities"),
                        ManifestNetwork.CAPABILITY));
    }

    /**
     * The manifest of {@code requirements} as the documented JSON reads it back (what {@code unitguard learn}
     * prints and the agent stores): fields not stated are left out.
     */
    public static Document document(Requirements requirements) {
        List<PathEntry> paths = requirements.paths().stream().map(p -> new PathEntry(p.path(),
                Access.format(p.access()), p.secret() ? Boolean.TRUE : null, p.learned().orElse(null))).toList();
        return new Document(requirements.user().orElse(null), requirements.group().orElse(null),
                paths.isEmpty() ? null : paths, requirements.devices().isEmpty() ? null : requirements.devices(),
                requirements.network().map(ManifestNetwork::entry).orElse(null),
                requirements.syscalls().map(s -> List.copyOf(new java.util.TreeSet<>(s))).orElse(null),
                requirements.capabilities().map(s -> List.copyOf(new java.util.TreeSet<>(s))).orElse(null), null);
    }

    static void atMost(List<?> entries, String name, JsonPath at) throws ManifestException {
        if (entries.size() > MAX_ENTRIES) {
            throw new ManifestException(name, at, "more than " + MAX_ENTRIES + " entries (" + entries.size() + ")");
        }
    }

    /** A path of at most {@link #MAX_PATH_BYTES} without control characters (C0, DEL). */
    static void plainPath(String path, String name, JsonPath at) throws ManifestException {
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ManifestException(name, at, "path longer than " + MAX_PATH_BYTES + " bytes");
        }
        int control = firstControl(path);
        if (control >= 0) {
            throw new ManifestException(name, at, "control character " + String.format("U+%04X",
                    (int) path.charAt(control)) + " in path");
        }
    }

    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return i;
            }
        }
        return -1;
    }

    private static PathRequirement convert(PathEntry p, String name, JsonPath at) throws ManifestException {
        if (p == null) {
            throw new ManifestException(name, at, "expected an object");
        }
        if (p.path() == null) {
            throw new ManifestException(name, at, "missing field \"path\"");
        }
        plainPath(p.path(), name, at.member("path"));
        if (!p.path().startsWith("/")) {
            throw new ManifestException(name, at.member("path"), "path must be absolute: " + quote(p.path()));
        }
        if (p.access() == null) {
            throw new ManifestException(name, at, "missing field \"access\"");
        }
        try {
            return new PathRequirement(p.path(), Access.parse(p.access()), Boolean.TRUE.equals(p.secret()),
                    ManifestNetwork.note(p.learned(), name, at.member("learned")));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(name, at.member("access"), e.getMessage());
        }
    }

    private static Optional<String> nonEmpty(String value, String name, JsonPath at) throws ManifestException {
        if (value != null && value.isBlank()) {
            throw new ManifestException(name, at, "empty value");
        }
        if (value != null && firstControl(value) >= 0) {
            throw new ManifestException(name, at, "control character in name");
        }
        return Optional.ofNullable(value);
    }

    static String quote(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
