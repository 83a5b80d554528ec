package dev.unitguard.systemd;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One property of a transient unit as {@code StartTransientUnit} takes it: a name, its D-Bus signature and a plain
 * Java value ({@code s}: String, {@code b}: Boolean, {@code t} and {@code u}: Long, {@code as}: List of String,
 * {@code a(sasb)}: List of {@link Command}, {@code a(ss)}: List of {@link Pair}, {@code a(ssbt)}: List of
 * {@link Bind}).
 */
public record TransientProperty(String name, String signature, Object value) {

    private static final Set<String> SIGNATURES = Set.of("s", "b", "t", "u", "as", "a(sasb)", "a(ss)", "a(ssbt)");

    public TransientProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(value, "value");
        if (!SIGNATURES.contains(signature)) {
            throw new IllegalArgumentException("transient property " + name + ": unsupported signature " + signature);
        }
    }

    /** A command line of {@code ExecStart}: the program, its argv (argv[0] included) and whether failure is ignored. */
    public record Command(String path, List<String> argv, boolean ignoreFailure) {
        public Command {
            Objects.requireNonNull(path, "path");
            argv = List.copyOf(argv);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("ExecStart: the program must be an absolute path, got " + path);
            }
        }
    }

    /** Two strings: TemporaryFileSystem= (path, options), DeviceAllow= (path, rights), LoadCredential= (id, path). */
    public record Pair(String first, String second) {
        public Pair {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }
    }

    /** A bind mount of BindPaths= / BindReadOnlyPaths=; {@code recursive} is MS_REC (rbind, the default). */
    public record Bind(String source, String destination, boolean ignoreMissing, boolean recursive) {
        public Bind {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
    }
}
