package dev.unitguard.apply;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The history of each unit: one JSON file per entry, ids counting up, the oldest pruned beyond the retention. */
final class History {

    private static final String FORMAT = "%010d.json";

    private final StateDirectory state;
    private final int retention;

    History(StateDirectory state, int retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("history retention must be at least 1: " + retention);
        }
        this.state = state;
        this.retention = retention;
    }

    /** Every kept entry of {@code unit}, oldest first. */
    List<HistoryEntry> list(String unit) throws IOException {
        Path dir = state.history(unit);
        List<HistoryEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[0-9]*.json")) {
            for (Path file : files) {
                state.readJson(file, HistoryEntry.class).ifPresent(entries::add);
            }
        }
        entries.sort(Comparator.comparingLong(HistoryEntry::id));
        return entries;
    }

    /** Appends an entry (the next id), then prunes the oldest beyond the retention. */
    HistoryEntry append(String unit, Instant at, String principal, Operation operation, String path, String before,
                        String after, Outcome outcome, String detail, String change) throws IOException {
        List<HistoryEntry> entries = list(unit);
        long id = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).id() + 1;
        HistoryEntry entry = new HistoryEntry(id, at, principal, operation, path, before, after, outcome, detail, change);
        state.writeJson(state.history(unit).resolve(String.format(FORMAT, id)), entry);
        entries.add(entry);
        for (int i = 0; i < entries.size() - retention; i++) {
            state.delete(state.history(unit).resolve(String.format(FORMAT, entries.get(i).id())));
        }
        return entry;
    }

    /** The id of the newest entry that changed content (the generation in force), 0 when none is kept. */
    long generation(String unit) throws IOException {
        List<HistoryEntry> entries = list(unit);
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).changedContent()) {
                return entries.get(i).id();
            }
        }
        return 0;
    }
}
