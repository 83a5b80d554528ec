package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Entries as systemd 252 in the lab logged them for a unit whose ExecStartPre printed /etc/shadow (fields cut). */
class JournalctlTest {

    private static final String PID1_EXIT = """
            {"_PID":"1","_COMM":"systemd","_EXE":"/usr/lib/systemd/systemd","_TRANSPORT":"journal",\
            "SYSLOG_IDENTIFIER":"systemd","UNIT":"leak.service","_SYSTEMD_UNIT":"init.scope","_UID":"0",\
            "MESSAGE":"leak.service: Control process exited, code=exited, status=3/NOTIMPLEMENTED"}""";
    private static final String CHILD_226 = """
            {"_PID":"70","_COMM":"(sh)","_TRANSPORT":"journal","SYSLOG_IDENTIFIER":"(sh)","UNIT":"leak.service",\
            "_SYSTEMD_UNIT":"leak.service","_UID":"0","MESSAGE":"leak.service: Failed to set up mount namespacing: \
            /run/systemd/unit-root/nonexistent: No such file or directory"}""";
    private static final String STDOUT = """
            {"_PID":"96","_COMM":"head","_TRANSPORT":"stdout","SYSLOG_IDENTIFIER":"sh",\
            "_SYSTEMD_UNIT":"leak.service","_UID":"0","MESSAGE":"root:!*:20786::::::"}""";
    private static final String SYSLOG_FORGED = """
            {"_PID":"97","_COMM":"logger","_EXE":"/usr/bin/logger","_TRANSPORT":"syslog",\
            "SYSLOG_IDENTIFIER":"systemd","_SYSTEMD_UNIT":"leak.service","_UID":"0","MESSAGE":"FAKE"}""";
    private static final String NATIVE_FORGED_BY_USER = """
            {"_PID":"98","_COMM":"(sh)","_TRANSPORT":"journal","SYSLOG_IDENTIFIER":"systemd","UNIT":"leak.service",\
            "_SYSTEMD_UNIT":"leak.service","_UID":"1000","MESSAGE":"FAKE"}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"PID1_EXIT|true", "CHILD_226|true", "STDOUT|false", "SYSLOG_FORGED|false",
            "NATIVE_FORGED_BY_USER|false"})
    void isSystemd_byTrustedFields(String name, boolean expected) throws Exception {
        String json = (String) JournalctlTest.class.getDeclaredField(name).get(null);

        assertEquals(expected, Journalctl.isSystemd(new ObjectMapper().readTree(json), "leak.service"));
    }

    @Test
    void journalctl_jsonOutput_entriesMarkedAndBytesDecoded(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("journal.json");
        Files.writeString(out, String.join("\n", PID1_EXIT, STDOUT,
                "{\"_PID\":\"1\",\"_TRANSPORT\":\"journal\",\"MESSAGE\":[104,105,255]}",
                "{\"_PID\":\"1\",\"_TRANSPORT\":\"journal\"}", "{\"_PID\":\"1\",\"MESSAGE\":\"cut off") + "\n");
        // the prefix stands in for nsenter: it prints the canned output and ignores journalctl's arguments
        Journal journal = Journal.journalctl(List.of("sh", "-c", "cat \"$0\"", out.toString()));

        assertEquals(List.of(
                JournalEntry.systemd("leak.service: Control process exited, code=exited, status=3/NOTIMPLEMENTED"),
                JournalEntry.service("root:!*:20786::::::"),
                JournalEntry.systemd("hi\uFFFD")), journal.entries("leak.service", Instant.EPOCH, 200));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"200|-n 200", "2147483647|''"})
    void journalctl_arguments_unitSinceNewestJson(int newest, String limit, @TempDir Path dir) throws Exception {
        Path argv = dir.resolve("argv");
        // the prefix stands in for nsenter: it writes the command it was given to a file
        Journal journal = Journal.journalctl(List.of("sh", "-c", "echo \"$@\" > \"$0\"", argv.toString()));

        assertEquals(List.of(), journal.entries("leak.service", Instant.ofEpochSecond(1700000000, 123456789), newest));

        assertEquals(("journalctl -u leak.service --since @1700000000.123456 " + limit + " -o json --no-pager -q")
                .replace("  ", " ") + "\n", Files.readString(argv));
    }
}
