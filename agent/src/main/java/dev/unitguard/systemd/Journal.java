package dev.unitguard.systemd;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * What the journal holds about a unit: the messages it and systemd logged, each marked by who logged it. The engine
 * reads it to explain a failed restart, the probe to read its script's lines and systemd's exit message.
 */
@FunctionalInterface
public interface Journal {

    /** A journal with nothing in it. */
    Journal NONE = (unit, invocation, since, newest) -> List.of();

    /** For {@code newest}: every entry since the moment. */
    int ALL = Integer.MAX_VALUE;

    /**
     * The newest {@code newest} ({@link #ALL}: all) entries logged for {@code unit} since {@code since}, oldest first.
     * {@code invocation} is the unit's invocation ID (32 hex digits) when known, else empty: systemd 262 logs why a
     * start failed with it and without the unit's name, so without it that message can be missed.
     */
    List<JournalEntry> entries(String unit, String invocation, Instant since, int newest) throws IOException;

    /**
     * The kernel's seccomp audit records ({@code audit: type=1326 ... sig=31 ... syscall=41}, or {@code SECCOMP ...}
     * when journald reads the audit socket) logged since {@code since}, oldest first: where a death by SIGSYS is
     * explained. Empty for a journal that holds no kernel messages.
     */
    default List<String> seccompRecords(Instant since) throws IOException {
        return List.of();
    }

    /** {@code journalctl} run on this machine, with {@code prefix} before it ({@code nsenter ...} for a lab). */
    static Journal journalctl(List<String> prefix) {
        return new Journalctl(prefix);
    }

    /** The journal of this machine. */
    static Journal local() {
        return journalctl(List.of());
    }
}
