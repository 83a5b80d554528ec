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

    private final Map<String, Optional<Looked>> files = new ConcurrentHashMap<>();
    private final Map<String, String> resolved = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> links = new ConcurrentHashMap<>();

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

    private static <T> T remember(Map<String, T> memo, String path, Function<String, T> lookup) {
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
