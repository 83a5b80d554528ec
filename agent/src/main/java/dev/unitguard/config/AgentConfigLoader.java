package dev.unitguard.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.unitguard.json.JsonValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code agent.json}: a JSON object whose keys (nested objects, named here with dots) are all optional. One
 * table lists every key with its parser; an unknown key or a bad value is a {@link ConfigException} naming it:
 * {@code agent.json: tcp.port: expected an integer from 1 to 65535, got "x"}.
 */
public final class AgentConfigLoader {

    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warning", "error");

    /** One key's parser: reads the JSON value into the builder or says what was expected. */
    private interface Key {
        void apply(Builder b, Object value) throws BadValue;
    }

    private static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String expected) {
            super(expected);
        }
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("unixSocket.enabled", (b, v) -> b.unixEnabled = bool(v));
        KEYS.put("unixSocket.path", (b, v) -> b.unixPath = absolutePath(v));
        KEYS.put("unixSocket.group", (b, v) -> b.unixGroup = name(v));
        KEYS.put("unixSocket.mode", (b, v) -> b.unixMode = mode(v));
        KEYS.put("unixSocket.readOnlyGroups", (b, v) -> b.readOnlyGroups = names(v));
        KEYS.put("unixSocket.adminGroups", (b, v) -> b.adminGroups = names(v));
        KEYS.put("tcp.enabled", (b, v) -> b.tcpEnabled = bool(v));
        KEYS.put("tcp.host", (b, v) -> b.tcpHost = nonEmpty(v));
        KEYS.put("tcp.port", (b, v) -> b.tcpPort = (int) integer(v, 0, 65535));
        KEYS.put("tcp.tokenFile", (b, v) -> b.tokenFile = Optional.of(absolutePath(v)));
        KEYS.put("tcp.tls.certFile", (b, v) -> b.certFile = absolutePath(v));
        KEYS.put("tcp.tls.keyFile", (b, v) -> b.keyFile = absolutePath(v));
        KEYS.put("maxBodyBytes", (b, v) -> b.maxBodyBytes = integer(v, 1, Integer.MAX_VALUE));
        KEYS.put("root", (b, v) -> b.root = absolutePath(v));
        KEYS.put("systemdBus", (b, v) -> b.systemdBus = Optional.of(nonEmpty(v)));
        KEYS.put("resyncSeconds", (b, v) -> b.resync = Duration.ofSeconds(integer(v, 1, 86400)));
        KEYS.put("shutdownTimeoutSeconds", (b, v) -> b.shutdown = Duration.ofSeconds(integer(v, 0, 3600)));
        KEYS.put("logLevel", (b, v) -> b.logLevel = oneOf(v, LOG_LEVELS));
        KEYS.put("apply.stateDirectory", (b, v) -> b.stateDirectory = absolutePath(v));
        KEYS.put("apply.dropInName", (b, v) -> b.dropInName = dropInName(v));
        KEYS.put("apply.retention", (b, v) -> b.retention = (int) integer(v, 1, 1000));
        KEYS.put("limits.maxConnections", (b, v) -> b.maxConnections = (int) integer(v, 1, 65536));
        KEYS.put("limits.maxConnectionsPerUser", (b, v) -> b.maxConnectionsPerUser = (int) integer(v, 1, 65536));
        KEYS.put("limits.idleTimeoutSeconds", (b, v) -> b.idleTimeout = Duration.ofSeconds(integer(v, 1, 86400)));
        KEYS.put("limits.requestTimeoutSeconds",
                (b, v) -> b.requestTimeout = Duration.ofSeconds(integer(v, 1, 3600)));
        KEYS.put("limits.maxRequestLineBytes", (b, v) -> b.maxRequestLineBytes = (int) integer(v, 256, 65536));
        KEYS.put("limits.maxHeaderBytes", (b, v) -> b.maxHeaderBytes = (int) integer(v, 1024, 1048576));
    }

    private AgentConfigLoader() {
    }

    /** The keys this version knows, dotted, in documentation order. */
    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    /**
     * Loads {@code file}. A missing file is the defaults only when it is the default file ({@code required} false):
     * a file named on the command line must exist.
     */
    public static AgentConfig load(Path file, boolean required) throws ConfigException {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (!required) {
                return AgentConfig.defaults();
            }
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(json, file.toString());
    }

    /**
     * Parses the text of a configuration; {@code displayName} starts every error message. Read with jackson-core's
     * parser alone ({@link JsonValues}), not the mapper: this runs at every start before READY=1.
     */
    public static AgentConfig parse(String json, String displayName) throws ConfigException {
        Optional<Object> tree;
        try {
            tree = JsonValues.parse(json); // strict: a key twice is an error, not "the last one wins"
        } catch (JsonProcessingException e) {
            throw new ConfigException(displayName + ": not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr());
        }
        if (tree.isEmpty()) {
            return AgentConfig.defaults();
        }
        if (!(tree.get() instanceof Map<?, ?> object)) {
            throw new ConfigException(displayName + ": expected a JSON object");
        }
        Builder builder = new Builder();
        for (Map.Entry<String, Object> entry : flatten("", object)) {
            Key key = KEYS.get(entry.getKey());
            if (key == null) {
                throw new ConfigException(displayName + ": unknown key '" + entry.getKey() + "'");
            }
            try {
                key.apply(builder, entry.getValue());
            } catch (BadValue e) {
                throw new ConfigException(displayName + ": " + entry.getKey() + ": expected " + e.getMessage()
                        + ", got " + JsonValues.render(entry.getValue()));
            }
        }
        return builder.build(displayName);
    }

    private static List<Map.Entry<String, Object>> flatten(String prefix, Map<?, ?> object) {
        List<Map.Entry<String, Object>> leaves = new ArrayList<>();
        for (Map.Entry<?, ?> field : object.entrySet()) {
            String name = prefix + field.getKey();
            boolean section = KEYS.keySet().stream().anyMatch(k -> k.startsWith(name + "."));
            if (field.getValue() instanceof Map<?, ?> members && section) {
                leaves.addAll(flatten(name + ".", members));
            } else {
                leaves.add(Map.entry(name, field.getValue()));
            }
        }
        return leaves;
    }

    private static boolean bool(Object v) throws BadValue {
        if (!(v instanceof Boolean b)) {
            throw new BadValue("true or false");
        }
        return b;
    }

    /** A JSON integer from min to max; one beyond a long ({@code BigInteger}) is out of any range here. */
    private static long integer(Object v, long min, long max) throws BadValue {
        if (!(v instanceof Long n) || n < min || n > max) {
            throw new BadValue("an integer from " + min + " to " + max);
        }
        return n;
    }

    private static String nonEmpty(Object v) throws BadValue {
        if (!(v instanceof String s) || s.isBlank()) {
            throw new BadValue("a non-empty string");
        }
        return s;
    }

    private static String name(Object v) throws BadValue {
        if (!(v instanceof String s) || !s.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new BadValue("a user or group name");
        }
        return s;
    }

    private static List<String> names(Object v) throws BadValue {
        if (!(v instanceof List<?> elements)) {
            throw new BadValue("an array of group names");
        }
        List<String> names = new ArrayList<>();
        for (Object element : elements) {
            names.add(name(element));
        }
        return names;
    }

    private static Path absolutePath(Object v) throws BadValue {
        if (!(v instanceof String s) || !s.startsWith("/") || s.indexOf('\0') >= 0) {
            throw new BadValue("an absolute path");
        }
        return Path.of(s).normalize();
    }

    private static String dropInName(Object v) throws BadValue {
        if (!(v instanceof String s) || !s.matches("[A-Za-z0-9_@:-][A-Za-z0-9_@:.-]*\\.conf")) {
            throw new BadValue("a file name ending in .conf, such as \"50-unitguard.conf\"");
        }
        return s;
    }

    private static int mode(Object v) throws BadValue {
        if (!(v instanceof String s) || !s.matches("0?[0-7]{3}")) {
            throw new BadValue("an octal file mode such as \"0660\"");
        }
        return Integer.parseInt(s, 8);
    }

    private static String oneOf(Object v, Set<String> allowed) throws BadValue {
        if (!(v instanceof String s) || !allowed.contains(s)) {
            throw new BadValue("one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return s;
    }

    /** Mutable while parsing; {@link #build} freezes it. Starts from the defaults. */
    private static final class Builder {
        private final AgentConfig d = AgentConfig.defaults();
        boolean unixEnabled = d.unixSocket().enabled();
        Path unixPath = d.unixSocket().path();
        String unixGroup = d.unixSocket().group();
        int unixMode = d.unixSocket().mode();
        List<String> readOnlyGroups = d.unixSocket().readOnlyGroups();
        List<String> adminGroups = d.unixSocket().adminGroups();
        boolean tcpEnabled = d.tcp().enabled();
        String tcpHost = d.tcp().host();
        int tcpPort = d.tcp().port();
        Optional<Path> tokenFile = d.tcp().tokenFile();
        Path certFile;
        Path keyFile;
        long maxBodyBytes = d.maxBodyBytes();
        Path root = d.root();
        Optional<String> systemdBus = d.systemdBus();
        Duration resync = d.resyncInterval();
        Duration shutdown = d.shutdownTimeout();
        String logLevel = d.logLevel();
        Path stateDirectory = d.apply().stateDirectory();
        String dropInName = d.apply().dropInName();
        int retention = d.apply().retention();
        int maxConnections = d.limits().maxConnections();
        int maxConnectionsPerUser = d.limits().maxConnectionsPerUser();
        Duration idleTimeout = d.limits().idleTimeout();
        Duration requestTimeout = d.limits().requestTimeout();
        int maxRequestLineBytes = d.limits().maxRequestLineBytes();
        int maxHeaderBytes = d.limits().maxHeaderBytes();

        AgentConfig build(String displayName) throws ConfigException {
            if ((certFile == null) != (keyFile == null)) {
                String missing = certFile == null ? "tcp.tls.certFile" : "tcp.tls.keyFile";
                throw new ConfigException(displayName + ": " + missing + ": required when TLS is configured");
            }
            Optional<AgentConfig.Tls> tls = certFile == null ? Optional.empty()
                    : Optional.of(new AgentConfig.Tls(certFile, keyFile));
            return new AgentConfig(new AgentConfig.UnixSocket(unixEnabled, unixPath, unixGroup, unixMode,
                    readOnlyGroups, adminGroups), new AgentConfig.Tcp(tcpEnabled, tcpHost, tcpPort, tokenFile, tls),
                    maxBodyBytes, root, systemdBus, resync, shutdown, logLevel,
                    new AgentConfig.Apply(stateDirectory, dropInName, retention),
                    new AgentConfig.Limits(maxConnections, maxConnectionsPerUser, idleTimeout, requestTimeout,
                            maxRequestLineBytes, maxHeaderBytes));
        }
    }
}
