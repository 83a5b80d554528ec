package dev.unitguard.systemd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** A transient service for {@code StartTransientUnit}: its name and properties, built with {@link #service}. */
public record TransientUnit(String name, List<TransientProperty> properties) {

    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9:_.@\\\\-]{1,247}\\.service");

    public TransientUnit {
        Objects.requireNonNull(name, "name");
        properties = List.copyOf(properties);
    }

    public static Builder service(String name) {
        return new Builder(name);
    }

    /** The value of a property set on this unit, if any (the last one set wins). */
    public Object property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).reduce((a, b) -> b)
                .map(TransientProperty::value).orElse(null);
    }

    /** Typed setters for the properties that take a checked value, and generic ones for the rest. */
    public static final class Builder {
        private static final Set<String> PROTECT_SYSTEM = Set.of("yes", "no", "true", "false", "full", "strict");
        private static final Set<String> PROTECT_HOME = Set.of("yes", "no", "true", "false", "read-only", "tmpfs");

        private final String name;
        private final List<TransientProperty> properties = new ArrayList<>();

        private Builder(String name) {
            if (!SERVICE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("transient unit name must be a valid service name, got " + name);
            }
            this.name = name;
        }

        /** {@code ExecStart=}: argv[0] is the absolute path of the program. */
        public Builder execStart(String... argv) {
            if (argv.length == 0) {
                throw new IllegalArgumentException("ExecStart: empty command line");
            }
            var command = new TransientProperty.Command(argv[0], Arrays.asList(argv), false);
            return property("ExecStart", "a(sasb)", List.of(command));
        }

        public Builder description(String text) {
            return stringProperty("Description", text);
        }

        public Builder user(String user) {
            return stringProperty("User", user);
        }

        public Builder group(String group) {
            return stringProperty("Group", group);
        }

        public Builder protectSystem(String mode) {
            return checked("ProtectSystem", mode, PROTECT_SYSTEM);
        }

        public Builder protectHome(String mode) {
            return checked("ProtectHome", mode, PROTECT_HOME);
        }

        public Builder readWritePaths(String... paths) {
            return stringsProperty("ReadWritePaths", List.of(paths));
        }

        public Builder stringProperty(String key, String value) {
            return property(key, "s", value);
        }

        public Builder booleanProperty(String key, boolean value) {
            return property(key, "b", value);
        }

        public Builder stringsProperty(String key, List<String> values) {
            return property(key, "as", List.copyOf(values));
        }

        /** A {@code t} (unsigned 64-bit) property, for example {@code TimeoutStopUSec}. */
        public Builder numberProperty(String key, long value) {
            return property(key, "t", value);
        }

        /** Any property already converted to its D-Bus type (see {@link TransientProperty}). */
        public Builder property(TransientProperty property) {
            properties.add(property);
            return this;
        }

        private Builder checked(String key, String value, Set<String> allowed) {
            if (!allowed.contains(value)) {
                throw new IllegalArgumentException(key + ": expected one of " + allowed.stream().sorted().toList()
                        + ", got " + value);
            }
            return stringProperty(key, value);
        }

        private Builder property(String key, String signature, Object value) {
            properties.add(new TransientProperty(key, signature, value));
            return this;
        }

        public TransientUnit build() {
            if (properties.stream().noneMatch(p -> p.name().equals("ExecStart"))) {
                throw new IllegalArgumentException("transient unit " + name + ": ExecStart is required");
            }
            return new TransientUnit(name, properties);
        }
    }
}
