package dev.unitguard.systemd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.host.ProcessRunner;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@link Journal} by {@code journalctl MATCHES --since @EPOCH [-n N] -o json --no-pager -q}, where the matches are
 * those of {@code journalctl -u UNIT} and one more ({@link #matches}). An entry is systemd's ({@link #isSystemd}) by
 * the fields journald itself sets, which a service cannot forge.
 */
final class Journalctl implements Journal {

    /** At most this much of journalctl's output is read; the rest is cut off (the last line may be partial). */
    static final int MAX_OUTPUT = 4 * 1024 * 1024;
    private static final ProcessRunner RUNNER = ProcessRunner.withTimeout(Duration.ofSeconds(30))
            .maxOutput(MAX_OUTPUT, 64 * 1024);

    /** An invocation ID as systemd writes it (sd_id128 in hex); anything else is not used in a match. */
    private static final Pattern INVOCATION_ID = Pattern.compile("[0-9a-f]{32}");

    private final List<String> prefix;

    Journalctl(List<String> prefix) {
        this.prefix = List.copyOf(prefix);
    }

    @Override
    public List<JournalEntry> entries(String unit, String invocation, Instant since, int newest) throws IOException {
        String id = INVOCATION_ID.matcher(invocation).matches() ? invocation : "";
        List<JournalEntry> entries = new ArrayList<>();
        for (String line : output(unit, id, since, newest)) {
            JsonNode fields;
            try {
                fields = Json.tree(line);
            } catch (JsonInputException e) {
                continue; // the last line of output cut at the size limit
            }
            String message = message(fields.get("MESSAGE"));
            if (message != null) {
                entries.add(new JournalEntry(message, isSystemd(fields, unit, id)));
            }
        }
        return entries;
    }

    /**
     * {@code journalctl _TRANSPORT=kernel _TRANSPORT=audit --since @EPOCH -o json}: the kernel's messages and the
     * audit records journald read, of which those of seccomp (type 1326) are kept.
     */
    @Override
    public List<String> seccompRecords(Instant since) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("journalctl", "_TRANSPORT=kernel", "_TRANSPORT=audit", "--since", epoch(since),
                "-o", "json", "--no-pager", "-q"));
        List<String> records = new ArrayList<>();
        for (String line : run(command)) {
            try {
                String message = message(Json.tree(line).get("MESSAGE"));
                if (message != null && (message.contains("type=1326") || message.startsWith("SECCOMP "))) {
                    records.add(message);
                }
            } catch (JsonInputException e) {
                // the last line of output cut at the size limit
            }
        }
        return records;
    }

    private static String epoch(Instant since) {
        return "@" + since.getEpochSecond() + "." + String.format("%06d", since.getNano() / 1000);
    }

    /** journalctl's output lines; its exit status does not matter (what it printed is what there is). */
    private List<String> output(String unit, String invocation, Instant since, int newest) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add("journalctl");
        command.addAll(matches(unit, invocation));
        command.addAll(List.of("--since", epoch(since)));
        if (newest != ALL) {
            command.addAll(List.of("-n", Integer.toString(newest)));
        }
        command.addAll(List.of("-o", "json", "--no-pager", "-q"));
        return run(command);
    }

    /**
     * What {@code journalctl -u UNIT} matches (the service's own messages, its core dumps, PID 1's and root daemons'
     * messages about it), and the messages root sent over the native protocol naming the unit in {@code UNIT=} or
     * its {@code invocation} (when not empty) in {@code INVOCATION_ID=}. Those last terms are what {@code -u} lacks:
     * PID 1's child for the unit logs why it could not start (for example "Failed to set up mount namespacing") and
     * exits at once; when journald reads that message only after PID 1 has reaped the child, it cannot tell the
     * sender's cgroup or command name, so the entry has no {@code _SYSTEMD_UNIT} and {@code -u} does not find it.
     * systemd 262 sends that very message without {@code UNIT=}, with {@code INVOCATION_ID=}. Seen in the labs by
     * stopping journald across a failing start (JournalctlIT).
     */
    static List<String> matches(String unit, String invocation) {
        List<String> matches = new ArrayList<>(List.of("_SYSTEMD_UNIT=" + unit,
                "+", "MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1", "_UID=0", "COREDUMP_UNIT=" + unit,
                "+", "_PID=1", "UNIT=" + unit,
                "+", "_UID=0", "OBJECT_SYSTEMD_UNIT=" + unit,
                "+", "_UID=0", "_TRANSPORT=journal", "UNIT=" + unit));
        if (!invocation.isEmpty()) {
            matches.addAll(List.of("+", "_UID=0", "_TRANSPORT=journal", "INVOCATION_ID=" + invocation));
        }
        return matches;
    }

    private static List<String> run(List<String> command) throws IOException {
        try {
            return RUNNER.run(command).exited().stdout().lines();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /**
     * Logged by systemd about {@code unit}: by PID 1 over the native protocol, or by PID 1's child for the unit
     * before it ran the program (native protocol, uid 0, {@code UNIT=} the unit or {@code INVOCATION_ID=} its
     * {@code invocation}, command name {@code (NAME)}, as systemd names that child, or no command name when the
     * child was gone before journald read its message).
     * {@code _PID}, {@code _UID}, {@code _COMM} and {@code _TRANSPORT} are journald's trusted fields;
     * {@code SYSLOG_IDENTIFIER=systemd} is not (any process can log with it). Only root can pass for the child, and
     * root can name its process anything.
     */
    static boolean isSystemd(JsonNode fields, String unit, String invocation) {
        if (!"journal".equals(fields.path("_TRANSPORT").asText())) {
            return false;
        }
        if ("1".equals(fields.path("_PID").asText())) {
            return true;
        }
        String comm = fields.path("_COMM").asText();
        boolean child = !fields.has("_COMM") || comm.length() > 2 && comm.startsWith("(") && comm.endsWith(")");
        boolean about = unit.equals(fields.path("UNIT").asText())
                || !invocation.isEmpty() && invocation.equals(fields.path("INVOCATION_ID").asText());
        return child && about && "0".equals(fields.path("_UID").asText());
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
