package dev.unitguard.apply;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's state under one directory (default /var/lib/unitguard): {@code journal/UNIT.json} for the change in
 * flight, {@code saved/UNIT/ID.before} for previous versions, {@code history/UNIT/NNNNNNNNNN.json},
 * {@code idempotency/SHA256.json} and {@code locks/UNIT.lock}. Every file is written atomically and read without
 * following links (the directory itself is trusted: root's, mode 0700).
 */
final class StateDirectory {

    private final Path dir;
    private final AtomicFiles files;

    StateDirectory(Path dir) {
        this.dir = dir;
        this.files = new AtomicFiles(dir, "rwx------", StepHook.NONE);
    }

    Path dir() {
        return dir;
    }

    Path journal(String unit) {
        return dir.resolve("journal").resolve(unit + ".json");
    }

    Path saved(String unit, String changeId) {
        return dir.resolve("saved").resolve(unit).resolve(changeId + ".before");
    }

    Path history(String unit) {
        return dir.resolve("history").resolve(unit);
    }

    Path idempotency(String keyHash) {
        return dir.resolve("idempotency").resolve(keyHash + ".json");
    }

    Path lock(String unit) {
        return dir.resolve("locks").resolve(unit + ".lock");
    }

    void writeJson(Path file, Object value) throws IOException {
        files.write(file, ApplyJson.write(value), "rw-------");
    }

    void writeText(Path file, String text) throws IOException {
        files.write(file, text, "rw-------");
    }

    <T> Optional<T> readJson(Path file, Class<T> type) throws IOException {
        Optional<String> text = files.read(file);
        return text.isEmpty() ? Optional.empty() : Optional.of(ApplyJson.read(text.get(), type));
    }

    void delete(Path file) throws IOException {
        files.delete(file);
    }

    /** The changes the journal holds, one per unit. */
    List<PendingChange> pending() throws IOException {
        List<PendingChange> changes = new ArrayList<>();
        Path journalDir = dir.resolve("journal");
        if (!Files.isDirectory(journalDir)) {
            return changes;
        }
        AtomicFiles.cleanTemporaries(journalDir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(journalDir, "*.json")) {
            for (Path entry : entries) {
                readJson(entry, PendingChange.class).ifPresent(changes::add);
            }
        }
        return changes;
    }

    /** Removes temporary files a crash left anywhere under the state directory. */
    void cleanTemporaries() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                AtomicFiles.cleanTemporaries(d);
            }
        }
    }
}
