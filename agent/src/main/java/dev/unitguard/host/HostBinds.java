package dev.unitguard.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Host directories that the agent's own sandbox replaces and binds back, read-only, elsewhere. The shipped unit gives
 * the agent {@code PrivateTmp=yes} and {@code PrivateDevices=yes}, so its /tmp and /dev are its own; with
 * {@code BindReadOnlyPaths=/tmp:/run/unitguard/host/tmp /dev:/run/unitguard/host/dev} the host's stay readable there,
 * and {@code UNITGUARD_HOST_BINDS} (same syntax, set by the unit beside it) tells the agent where: a host path under
 * a source is read at the same place under its destination. Only the view of the host root ({@code /}) uses them.
 */
public record HostBinds(Map<String, Path> destinations) {

    /** The environment variable naming the binds. */
    public static final String VARIABLE = "UNITGUARD_HOST_BINDS";
    public static final HostBinds NONE = new HostBinds(Map.of());

    private static final class FromEnvironment {
        static final String SPEC = System.getenv(VARIABLE);
        static final HostBinds BINDS = parseOrNone(SPEC);

        private static HostBinds parseOrNone(String spec) {
            try {
                return parse(spec);
            } catch (IllegalArgumentException e) {
                return NONE;
            }
        }
    }

    public HostBinds {
        destinations = Collections.unmodifiableMap(new TreeMap<>(destinations));
    }

    /**
     * The binds of this process's environment, read once; {@link #NONE} when the variable is unset or malformed (the
     * agent refuses to start then: {@link #environmentProblem()}).
     */
    public static HostBinds fromEnvironment() {
        return FromEnvironment.BINDS;
    }

    /** Why the environment's binds cannot be used: a malformed variable, or a destination that is not a directory. */
    public static Optional<String> environmentProblem() {
        try {
            return parse(FromEnvironment.SPEC).missing();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Binds written as {@code SOURCE:DEST}, separated by white space; {@code null} or blank is {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the entry that is not two absolute, normalised paths, or binds a
     *         source twice
     */
    public static HostBinds parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        Map<String, Path> out = new TreeMap<>();
        for (String entry : spec.trim().split("\\s+")) {
            String[] parts = entry.split(":", -1);
            if (parts.length != 2 || !normalised(parts[0]) || !normalised(parts[1]) || parts[0].equals("/")) {
                throw new IllegalArgumentException(VARIABLE + ": \"" + entry
                        + "\" is not SOURCE:DEST with two absolute, normalised paths other than /");
            }
            if (out.putIfAbsent(parts[0], Path.of(parts[1])) != null) {
                throw new IllegalArgumentException(VARIABLE + ": \"" + entry + "\" binds " + parts[0] + " twice");
            }
        }
        return new HostBinds(out);
    }

    /** Each destination is a directory now, or the reason it is not (the unit lacks its BindReadOnlyPaths=). */
    public Optional<String> missing() {
        List<String> missing = new ArrayList<>();
        destinations.forEach((source, dest) -> {
            if (!Files.isDirectory(dest)) {
                missing.add(dest + " (for " + source + ")");
            }
        });
        return missing.isEmpty() ? Optional.empty() : Optional.of(VARIABLE + " names " + String.join(", ", missing)
                + ", not a directory: the unit's BindReadOnlyPaths= must bind the host's directories there");
    }

    /** Where a canonical absolute host path is read, when it lies under a bound source. */
    public Optional<Located> locate(String path) {
        for (Map.Entry<String, Path> e : destinations.entrySet()) {
            if (within(path, e.getKey())) {
                String rest = path.substring(e.getKey().length()).replaceAll("^/+", "");
                return Optional.of(new Located(e.getValue(), e.getKey(),
                        rest.isEmpty() ? List.of() : List.of(rest.split("/+"))));
            }
        }
        return Optional.empty();
    }

    /** A host path as a directory on this machine ({@code base}, named {@code shown}) and the names below it. */
    public record Located(Path base, String shown, List<String> names) {
        public Located {
            names = List.copyOf(names);
        }

        public Path path() {
            return names.isEmpty() ? base : base.resolve(String.join("/", names));
        }
    }

    private static boolean within(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    private static boolean normalised(String path) {
        return path.startsWith("/") && Path.of(path).normalize().toString().equals(path);
    }
}
