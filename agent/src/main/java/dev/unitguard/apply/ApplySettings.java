package dev.unitguard.apply;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The engine's configuration, validated on construction: the root of the machine's file system, the state directory
 * (journal, history, saved versions), the drop-in's file name, how many history entries to keep per unit, how long a
 * restarted unit must stay active before its health check, and the poll interval.
 */
public record ApplySettings(Path root, Path stateDirectory, String dropInName, int retention, Duration settle,
                            Duration poll) {

    public static final Path DEFAULT_STATE_DIRECTORY = Path.of("/var/lib/unitguard");
    public static final String DEFAULT_DROP_IN = "50-unitguard.conf";
    public static final int DEFAULT_RETENTION = 10;

    public ApplySettings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(settle, "settle");
        if (!dropInName.endsWith(".conf") || dropInName.contains("/") || dropInName.startsWith(".")) {
            throw new IllegalArgumentException("dropInName must be a file name ending in .conf: " + dropInName);
        }
        if (retention < 1) {
            throw new IllegalArgumentException("retention must be at least 1: " + retention);
        }
        if (poll.isZero() || poll.isNegative()) {
            throw new IllegalArgumentException("poll must be positive: " + poll);
        }
    }

    /** The machine's own root, /var/lib/unitguard, 50-unitguard.conf, 10 entries, 1 s settle, 100 ms poll. */
    public static ApplySettings defaults() {
        return new ApplySettings(Path.of("/"), DEFAULT_STATE_DIRECTORY, DEFAULT_DROP_IN, DEFAULT_RETENTION,
                Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    public ApplySettings withRoot(Path newRoot) {
        return new ApplySettings(newRoot, stateDirectory, dropInName, retention, settle, poll);
    }

    public ApplySettings withStateDirectory(Path dir) {
        return new ApplySettings(root, dir, dropInName, retention, settle, poll);
    }

    public ApplySettings withRetention(int entries) {
        return new ApplySettings(root, stateDirectory, dropInName, entries, settle, poll);
    }

    public ApplySettings withTiming(Duration newSettle, Duration newPoll) {
        return new ApplySettings(root, stateDirectory, dropInName, retention, newSettle, newPoll);
    }

    public ApplySettings withDropInName(String name) {
        return new ApplySettings(root, stateDirectory, name, retention, settle, poll);
    }

    /** /etc/systemd/system under the root. */
    Path unitDirectory() {
        return root.resolve("etc/systemd/system");
    }
}
