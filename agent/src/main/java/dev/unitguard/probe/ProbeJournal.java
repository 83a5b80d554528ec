package dev.unitguard.probe;

import dev.unitguard.systemd.Journalctl;
import java.io.IOException;
import java.util.List;

/**
 * Where the probe reads what its service printed and what systemd logged about it: the messages of
 * {@code journalctl -u UNIT -o cat}. The default runs journalctl on this machine; tests pass one that runs it
 * inside the lab.
 */
@FunctionalInterface
public interface ProbeJournal {

    /** The messages logged for {@code unit}, oldest first. */
    List<String> messages(String unit) throws IOException;

    /** {@code journalctl -u UNIT -o cat} run on this machine, with {@code prefix} before it (empty for none). */
    static ProbeJournal journalctl(List<String> prefix) {
        return unit -> Journalctl.messages(prefix, List.of("-u", unit));
    }

    /** The local journal. */
    static ProbeJournal local() {
        return journalctl(List.of());
    }
}
