package dev.unitguard.host;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a {@link HostView#snapshot()} has looked up: the file at each path, the target of each symlink met while
 * resolving, and the resolved form of each path, so
 * that one check, which asks about the same few dozen paths (and their parents) a hundred times, stats each once.
 * Bounded: past {@link #MAX_ENTRIES} paths, lookups are answered without being kept.
 */
final class FileMemo {

    static final int MAX_ENTRIES = 1 << 16;

    /**
     * What one {@code lstat()} told: the file as access decisions see it, which version of it was seen, and the
     * device holding it ({@code st_dev}: a mount point's differs from its directory's).
     */
    record Looked(FileInfo info, FileVersion version, long dev) {
    }

    /** Room for the paths of one check without growing the tables (a check asks about some 60). */
    private static final int EXPECTED = 128;

    private final Map<String, Optional<Looked>> files = new ConcurrentHashMap<>(EXPECTED);
    private final Map<String, String> resolved = new ConcurrentHashMap<>(EXPECTED);
    private final Map<String, Optional<String>> links = new ConcurrentHashMap<>();
    private final Map<Object, Object> derived = new ConcurrentHashMap<>();

    Optional<Looked> lstat(String path, Function<String, Optional<Looked>> lookup) {
        return remember(files, path, lookup);
    }

    /** The target of the symlink at a path, as {@link HostView#readLink} reads it. */
    Optional<String> readLink(String path, Function<String, Optional<String>> lookup) {
        return remember(links, path, lookup);
    }

    String resolve(String path, Function<String, String> lookup) {
        return remember(resolved, path, lookup);
    }

    /** A value computed from this snapshot's lookups, once per key (compared with its {@code equals}). */
    @SuppressWarnings("unchecked")
    <T> T derived(Object key, java.util.function.Supplier<T> compute) {
        return (T) remember(derived, key, k -> compute.get());
    }

    private static <K, T> T remember(Map<K, T> memo, K path, Function<K, T> lookup) {
        T known = memo.get(path);
        if (known != null) {
            return known;
        }
        T found = lookup.apply(path);
        if (memo.size() < MAX_ENTRIES) {
            memo.put(path, found);
        }
        return found;
    }
}
