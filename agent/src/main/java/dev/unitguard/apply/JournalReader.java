package dev.unitguard.apply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.json.Json;
import dev.unitguard.systemd.Journalctl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads what a unit and systemd logged about it since a moment: the lines that explain a failure. */
@FunctionalInterface
public interface JournalReader {

    JournalReader NONE = (unit, since) -> List.of();

    /** The newest entries read at most. */
    int MAX_ENTRIES = 200;

    /** The messages logged for {@code unit} since {@code since}, oldest first, each marked by who logged it. */
    List<JournalEntry> entries(String unit, Instant since) throws IOException;

    /**
     * {@code journalctl -u UNIT --since @EPOCH -n 200 -o json}, with {@code prefix} before it (nsenter in tests). An
     * entry is systemd's ({@link #isSystemd}) by the fields journald itself sets, which a service cannot forge.
     */
    static JournalReader journalctl(List<String> prefix) {
        return (unit, since) -> {
            List<JournalEntry> entries = new ArrayList<>();
            for (String line : Journalctl.output(prefix, List.of("-u", unit, "--since", "@" + since.getEpochSecond()
                    + "." + String.format("%06d", since.getNano() / 1000), "-n", Integer.toString(MAX_ENTRIES),
                    "-o", "json"))) {
                JsonNode fields;
                try {
                    fields = Json.mapper().readTree(line);
                } catch (IOException e) {
                    continue; // the last line of output cut at the size limit
                }
                String message = message(fields.get("MESSAGE"));
                if (message != null) {
                    entries.add(new JournalEntry(message, isSystemd(fields, unit)));
                }
            }
            return entries;
        };
    }

    /**
     * Logged by systemd about {@code unit}: by PID 1 over the native protocol, or by PID 1's child for the unit
     * before it ran the program (native protocol, uid 0, {@code UNIT=} the unit, command name {@code (NAME)}, as
     * systemd names that child). {@code _PID}, {@code _UID}, {@code _COMM} and {@code _TRANSPORT} are journald's
     * trusted fields; {@code SYSLOG_IDENTIFIER=systemd} is not (any process can log with it).
     */
    static boolean isSystemd(JsonNode fields, String unit) {
        if (!"journal".equals(fields.path("_TRANSPORT").asText())) {
            return false;
        }
        if ("1".equals(fields.path("_PID").asText())) {
            return true;
        }
        String comm = fields.path("_COMM").asText();
        return "0".equals(fields.path("_UID").asText()) && unit.equals(fields.path("UNIT").asText())
                && comm.length() > 2 && comm.startsWith("(") && comm.endsWith(")");
    }

    /** MESSAGE as journalctl's JSON writes it: a string, or an array of bytes when it is not valid UTF-8. */
    private static String message(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            byte[] bytes = new byte[node.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) node.get(i).asInt();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return node.asText();
    }
}
