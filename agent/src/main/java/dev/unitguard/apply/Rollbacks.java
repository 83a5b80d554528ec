package dev.unitguard.apply;

import dev.unitguard.json.JsonPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Which file a rollback writes, and with what, from the unit's history. */
final class Rollbacks {

    record Target(Path path, Optional<String> content) {
    }

    private Rollbacks() {
    }

    static Target target(String unit, List<HistoryEntry> entries, OptionalLong to) throws ApplyRequestException {
        if (to.isEmpty()) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                HistoryEntry e = entries.get(i);
                if (e.changedContent()) {
                    return new Target(Path.of(e.path()), Optional.ofNullable(e.before()));
                }
            }
            throw notFound(unit + " has no applied change to roll back");
        }
        long id = to.getAsLong();
        HistoryEntry entry = entries.stream().filter(e -> e.id() == id).findFirst().orElseThrow(() -> notFound(
                unit + " has no history entry " + id + (entries.isEmpty() ? "" : " (kept: "
                        + entries.get(0).id() + " to " + entries.get(entries.size() - 1).id() + ")")));
        if (entry.change() == null) {
            throw ApplyRequestException.invalidField(JsonPath.of("to"), "history entry " + id + " of " + unit + " is "
                    + entry.operation().word() + ", not a file change");
        }
        boolean applied = entry.outcome() == Outcome.APPLIED;
        return new Target(Path.of(entry.path()), Optional.ofNullable(applied ? entry.after() : entry.before()));
    }

    private static ApplyRequestException notFound(String message) {
        return new ApplyRequestException(ApplyRequestException.Kind.HISTORY_ENTRY_NOT_FOUND, message);
    }
}
