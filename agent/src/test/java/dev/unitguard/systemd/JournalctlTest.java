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
    /** The same child's message read by journald after PID 1 had reaped the child: no _COMM, no _SYSTEMD_UNIT. */
    private static final String CHILD_226_REAPED = """
            {"_PID":"1671","_TRANSPORT":"journal","SYSLOG_IDENTIFIER":"(sh)","UNIT":"leak.service","_UID":"0",\
            "MESSAGE":"leak.service: Failed to set up mount namespacing: /run/systemd/unit-root/nonexistent: \
            No such file or directory"}""";
    /** systemd 262's executor: why the start failed, with the invocation ID and no UNIT=, read after the reaping. */
    private static final String CHILD_226_262_REAPED = """
            {"_PID":"57","_TRANSPORT":"journal","SYSLOG_IDENTIFIER":"(sh)","_UID":"0",\
            "INVOCATION_ID":"e2ac3a6a775741f3806a9f1cb1f138a8","CODE_FUNC":"setup_delegated_namespaces",\
            "MESSAGE":"leak.service: Failed to set up mount namespacing: /nonexistent: No such file or directory"}""";
    /** The same from a root process of another invocation. */
    private static final String OTHER_INVOCATION = """
            {"_PID":"57","_TRANSPORT":"journal","_UID":"0","INVOCATION_ID":"00000000000000000000000000000001",\
            "MESSAGE":"leak.service: Failed to set up mount namespacing: /nonexistent: No such file or directory"}""";
    private static final String STDOUT = """
            {"_PID":"96","_COMM":"head","_TRANSPORT":"stdout","SYSLOG_IDENTIFIER":"sh",\
            "_SYSTEMD_UNIT":"leak.service","_UID":"0","MESSAGE":"root:!*:20786::::::"}""";
    private static final String SYSLOG_FORGED = """
            {"_PID":"97","_COMM":"logger","_EXE":"/usr/bin/logger","_TRANSPORT":"syslog",\
            "SYSLOG_IDENTIFIER":"systemd","_SYSTEMD_UNIT":"leak.service","_UID":"0","MESSAGE":"FAKE"}""";
    private static final String NATIVE_FORGED_BY_USER = """
            {"_PID":"98","_COMM":"(sh)","_TRANSPORT":"journal","SYSLOG_IDENTIFIER":"systemd","UNIT":"leak.service",\
            "_SYSTEMD_UNIT":"leak.service","_UID":"1000","MESSAGE":"FAKE"}""";
    private static final String NATIVE_FORGED_BY_GONE_USER = """
            {"_PID":"99","_TRANSPORT":"journal","UNIT":"leak.service","_UID":"1000","MESSAGE":"FAKE"}""";
    private static final String ROOT_DAEMON_OTHER_UNIT = """
            {"_PID":"99","_COMM":"(sh)","_TRANSPORT":"journal","UNIT":"other.service","_UID":"0","MESSAGE":"x"}""";
    private static final String ROOT_DAEMON_NOT_CHILD = """
            {"_PID":"99","_COMM":"cron","_TRANSPORT":"journal","UNIT":"leak.service","_UID":"0","MESSAGE":"x"}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"PID1_EXIT|true", "CHILD_226|true", "CHILD_226_REAPED|true", "CHILD_226_262_REAPED|true",
            "OTHER_INVOCATION|false", "STDOUT|false",
            "SYSLOG_FORGED|false", "NATIVE_FORGED_BY_USER|false", "NATIVE_FORGED_BY_GONE_USER|false",
            "ROOT_DAEMON_OTHER_UNIT|false", "ROOT_DAEMON_NOT_CHILD|false"})
    void isSystemd_byTrustedFields(String name, boolean expected) throws Exception {
        String json = (String) JournalctlTest.class.getDeclaredField(name).get(null);

        assertEquals(expected, Journalctl.isSystemd(new ObjectMapper().readTree(json), "leak.service",
                "e2ac3a6a775741f3806a9f1cb1f138a8"));
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
                JournalEntry.systemd("hi\uFFFD")), journal.entries("leak.service", "", Instant.EPOCH, 200));
    }

    /** The invocation ID is matched when it has systemd's form, and left out otherwise (or when unknown). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200|-n 200|e2ac3a6a775741f3806a9f1cb1f138a8|+ _UID=0 _TRANSPORT=journal INVOCATION_ID=e2ac3a6a775741f3806a9f1cb1f138a8",
        "2147483647|''|''|''",
        "2147483647|''|E2AC3A6A775741F3806A9F1CB1F138A8 + _UID=1000|''"})
    void journalctl_arguments_unitMatchesSinceNewestJson(int newest, String limit, String invocation, String match,
                                                         @TempDir Path dir) throws Exception {
        Path argv = dir.resolve("argv");
        // the prefix stands in for nsenter: it writes the command it was given to a file
        Journal journal = Journal.journalctl(List.of("sh", "-c", "echo \"$@\" > \"$0\"", argv.toString()));

        assertEquals(List.of(), journal.entries("leak.service", invocation,
                Instant.ofEpochSecond(1700000000, 123456789), newest));

        assertEquals(("journalctl _SYSTEMD_UNIT=leak.service + MESSAGE_ID=fc2e22bc6ee647b6b90729ab34a250b1 _UID=0 "
                + "COREDUMP_UNIT=leak.service + _PID=1 UNIT=leak.service + _UID=0 OBJECT_SYSTEMD_UNIT=leak.service "
                + "+ _UID=0 _TRANSPORT=journal UNIT=leak.service " + match + " --since @1700000000.123456 " + limit
                + " -o json --no-pager -q").replace("  ", " ") + "\n", Files.readString(argv));
    }
}
