package dev.unitguard.daemons;

import java.util.List;

/**
 * What real systemd did with a candidate: whether the daemon was active and did its job 2 s after its restart,
 * and, when not, what the unit's journal said since.
 */
record Truth(boolean serves, List<String> journal) {

    Truth {
        journal = List.copyOf(journal);
    }

    /** The journal's lines that tell why (systemd's and the daemon's last words), for a report. */
    String why() {
        return String.join(" / ", journal);
    }
}
