package dev.unitguard.systemd;

import java.util.Objects;

/**
 * One journal message about a unit, and whether systemd itself logged it ({@code bySystemd}: the service manager,
 * PID 1, or its child setting up the unit's process before the program runs, the 226 reason) or the service did
 * (its output, which callers other than root never see).
 */
public record JournalEntry(String message, boolean bySystemd) {

    public JournalEntry {
        Objects.requireNonNull(message, "message");
    }

    public static JournalEntry systemd(String message) {
        return new JournalEntry(message, true);
    }

    public static JournalEntry service(String message) {
        return new JournalEntry(message, false);
    }
}
