package dev.unitguard.probe;

import dev.unitguard.lab.Lab;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.JournalEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** The lab's journal, read with journalctl inside it. */
public final class LabJournal {

    private LabJournal() {
    }

    public static Journal of(Lab lab) {
        return Journal.journalctl(List.of("nsenter", "-t", Long.toString(lab.pid()), "-a"));
    }

    /** Every message logged for {@code unit} in the lab. */
    public static List<String> messages(Lab lab, String unit) throws IOException {
        return of(lab).entries(unit, "", Instant.EPOCH, Journal.ALL).stream().map(JournalEntry::message).toList();
    }
}
