package dev.unitguard.unit;

import static dev.unitguard.unit.ExecCommand.Prefix.AMBIENT_MAGIC;
import static dev.unitguard.unit.ExecCommand.Prefix.FULL_PRIVILEGES;
import static dev.unitguard.unit.ExecCommand.Prefix.IGNORE_FAILURE;
import static dev.unitguard.unit.ExecCommand.Prefix.NO_ENV_EXPANSION;
import static dev.unitguard.unit.ExecCommand.Prefix.NO_SETUID;
import static dev.unitguard.unit.ExecCommand.Prefix.SEPARATE_ARGV0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExecCommandTest {

    @Test
    void parse_plainCommand_pathIsArgv0() {
        ExecCommand c = ExecCommand.parse("/usr/bin/app --config \"/etc/my app.conf\" -v");
        assertEquals(new ExecCommand(Set.of(), "/usr/bin/app",
                List.of("/usr/bin/app", "--config", "/etc/my app.conf", "-v")), c);
    }

    @Test
    void parse_allPrefixesAnyOrder_recognised() {
        ExecCommand c = ExecCommand.parse(":@-+/bin/sh sh -c true");
        assertEquals(Set.of(NO_ENV_EXPANSION, SEPARATE_ARGV0, IGNORE_FAILURE, FULL_PRIVILEGES), c.prefixes());
        assertEquals("/bin/sh", c.path());
        assertEquals(List.of("sh", "-c", "true"), c.argv());
    }

    @Test
    void parse_singleBang_noSetuid() {
        assertEquals(Set.of(NO_SETUID), ExecCommand.parse("!/bin/true").prefixes());
    }

    @Test
    void parse_doubleBang_ambientMagicOnly() {
        assertEquals(Set.of(AMBIENT_MAGIC, IGNORE_FAILURE), ExecCommand.parse("-!!/bin/true").prefixes());
    }

    @Test
    void parse_repeatedPrefix_endsPrefixesAndFailsAsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("--/bin/x"));
        assertEquals("neither a valid executable name nor an absolute path: -/bin/x", e.getMessage());
    }

    @Test
    void parse_plusAfterBang_notAPrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("!+/bin/x"));
        assertEquals("neither a valid executable name nor an absolute path: +/bin/x", e.getMessage());
    }

    @Test
    void parse_bareFileName_accepted() {
        assertEquals("true", ExecCommand.parse("-true").path());
    }

    @Test
    void parse_quotedExecutable_unquoted() {
        ExecCommand c = ExecCommand.parse("\"/opt/my app/run\" x");
        assertEquals("/opt/my app/run", c.path());
        assertEquals(List.of("/opt/my app/run", "x"), c.argv());
    }

    @Test
    void parse_prefixOnly_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("-"));
        assertEquals("empty path in command line \"-\"", e.getMessage());
    }

    @Test
    void parse_separateArgv0Missing_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("@/bin/x"));
        assertEquals("empty executable name or zeroeth argument in \"@/bin/x\"", e.getMessage());
    }

    @Test
    void parse_directory_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("/usr/bin/"));
        assertEquals("executable path specifies a directory: /usr/bin/", e.getMessage());
    }

    @Test
    void parse_empty_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("  "));
        assertEquals("empty command line", e.getMessage());
    }

    @Test
    void parseAll_semicolonSeparated_givesSeveralCommands() {
        List<ExecCommand> all = ExecCommand.parseAll("/bin/a x ; -/bin/b \\; y;z");
        assertEquals(2, all.size());
        assertEquals(List.of("/bin/a", "x"), all.get(0).argv());
        assertEquals(List.of("/bin/b", ";", "y;z"), all.get(1).argv());
        assertEquals(Set.of(IGNORE_FAILURE), all.get(1).prefixes());
    }

    @Test
    void parse_severalCommands_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("/a ; /b"));
        assertEquals("several commands separated by ';' in \"/a ; /b\"", e.getMessage());
    }

    @Test
    void parseAll_empty_givesNothing() {
        assertEquals(List.of(), ExecCommand.parseAll(""));
    }

    @Test
    void parse_unbalancedQuote_fails() {
        assertThrows(IllegalArgumentException.class, () -> ExecCommand.parse("/bin/echo \"oops"));
    }
}
