package dev.unitguard.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
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
        void apply(Builder b, JsonNode value) throws BadValue;
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

    /** Parses the text of a configuration; {@code displayName} starts every error message. */
    public static AgentConfig parse(String json, String displayName) throws ConfigException {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(json); // strict: a key twice is an error, not "the last one wins"
        } catch (JsonProcessingException e) {
            throw new ConfigException(displayName + ": not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr());
        }
        if (tree == null || tree.isMissingNode()) {
            return AgentConfig.defaults();
        }
        if (!tree.isObject()) {
            throw new ConfigException(displayName + ": expected a JSON object");
        }
        Builder builder = new Builder();
        for (Map.Entry<String, JsonNode> entry : flatten("", tree)) {
            Key key = KEYS.get(entry.getKey());
            if (key == null) {
                throw new ConfigException(displayName + ": unknown key '" + entry.getKey() + "'");
            }
            try {
                key.apply(builder, entry.getValue());
            } catch (BadValue e) {
                throw new ConfigException(displayName + ": " + entry.getKey() + ": expected " + e.getMessage()
                        + ", got " + entry.getValue());
            }
        }
        return builder.build(displayName);
    }

    private static List<Map.Entry<String, JsonNode>> flatten(String prefix, JsonNode object) {
        List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix + field.getKey();
            boolean section = KEYS.keySet().stream().anyMatch(k -> k.startsWith(name + "."));
            if (field.getValue().isObject() && section) {
                leaves.addAll(flatten(name + ".", field.getValue()));
            } else {
                leaves.add(Map.entry(name, field.getValue()));
            }
        }
        return leaves;
    }

    private static boolean bool(JsonNode v) throws BadValue {
        if (!v.isBoolean()) {
            throw new BadValue("true or false");
        }
        return v.booleanValue();
    }

    private static long integer(JsonNode v, long min, long max) throws BadValue {
        if (!v.isIntegralNumber() || v.longValue() < min || v.longValue() > max) {
            throw new BadValue("an integer from " + min + " to " + max);
        }
        return v.longValue();
    }

    private static String nonEmpty(JsonNode v) throws BadValue {
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new BadValue("a non-empty string");
        }
        return v.textValue();
    }

    private static String name(JsonNode v) throws BadValue {
        if (!v.isTextual() || !v.textValue().matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new BadValue("a user or group name");
        }
        return v.textValue();
    }

    private static List<String> names(JsonNode v) throws BadValue {
        if (!v.isArray()) {
            throw new BadValue("an array of group names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode element : v) {
            names.add(name(element));
        }
        return names;
    }

    private static Path absolutePath(JsonNode v) throws BadValue {
        if (!v.isTextual() || !v.textValue().startsWith("/") || v.textValue().indexOf('\0') >= 0) {
            throw new BadValue("an absolute path");
        }
        return Path.of(v.textValue()).normalize();
    }

    private static String dropInName(JsonNode v) throws BadValue {
        if (!v.isTextual() || !v.textValue().matches("[A-Za-z0-9_@:-][A-Za-z0-9_@:.-]*\\.conf")) {
            throw new BadValue("a file name ending in .conf, such as \"50-unitguard.conf\"");
        }
        return v.textValue();
    }

    private static int mode(JsonNode v) throws BadValue {
        if (!v.isTextual() || !v.textValue().matches("0?[0-7]{3}")) {
            throw new BadValue("an octal file mode such as \"0660\"");
        }
        return Integer.parseInt(v.textValue(), 8);
    }

    private static String oneOf(JsonNode v, Set<String> allowed) throws BadValue {
        if (!v.isTextual() || !allowed.contains(v.textValue())) {
            throw new BadValue("one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return v.textValue();
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
