package dev.unitguard.apply;

import dev.unitguard.systemd.Journalctl;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Reads what a unit and systemd logged about it since a moment: the lines that explain a failure. */
@FunctionalInterface
public interface JournalReader {

    JournalReader NONE = (unit, since) -> List.of();

    /** The messages logged for {@code unit} since {@code since}, oldest first. */
    List<String> lines(String unit, Instant since) throws IOException;

    /** {@code journalctl -u UNIT --since @EPOCH -o cat}, with {@code prefix} before it (nsenter in tests). */
    static JournalReader journalctl(List<String> prefix) {
        return (unit, since) -> Journalctl.messages(prefix, List.of("-u", unit, "--since",
                "@" + since.getEpochSecond() + "." + String.format("%06d", since.getNano() / 1000)));
    }
}
