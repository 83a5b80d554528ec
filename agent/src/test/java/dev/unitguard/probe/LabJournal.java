package dev.unitguard.probe;

import dev.unitguard.lab.Lab;
import java.util.List;

/** The lab's journal, read with journalctl inside it. */
final class LabJournal {

    private LabJournal() {
    }

    static ProbeJournal of(Lab lab) {
        return unit -> lab.exec("journalctl", "-u", unit, "-o", "cat", "--no-pager", "-q").stdout().lines().toList();
    }
}
