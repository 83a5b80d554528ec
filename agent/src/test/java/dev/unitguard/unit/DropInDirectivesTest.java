package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.unit.DropInDirectives.Candidate;
import dev.unitguard.unit.DropInDirectives.Directive;
import dev.unitguard.unit.DropInDirectives.RejectedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DropInDirectivesTest {

    private static final Path SET = Path.of("set");
    private static final String VALUE = "A=b ExecStartPre=+/usr/bin/touch /root/PWNED";

    /** Every C0 control character and DEL. */
    static IntStream controlCharacters() {
        return IntStream.concat(IntStream.range(0, 0x20), IntStream.of(0x7f));
    }

    @ParameterizedTest
    @MethodSource("controlCharacters")
    void parse_controlCharacterAtEveryPositionOfValue_refusedNamingCharacterAndPosition(int c) {
        for (int position = 0; position <= VALUE.length(); position++) {
            String value = VALUE.substring(0, position) + (char) c + VALUE.substring(position);
            List<Directive> set = List.of(new Directive("ProtectSystem", "strict"), new Directive("Environment", value));

            RejectedException e = assertThrows(RejectedException.class,
                    () -> DropInDirectives.parse(SET, "service", set));

            assertEquals(1, e.index());
            assertEquals(String.format(Locale.ROOT, "contains a control character (U+%04X) at position %d",
                    c, position + 1), e.reason());
        }
    }

    @ParameterizedTest
    @MethodSource("controlCharacters")
    void parse_controlCharacterAtEveryPositionOfKey_refused(int c) {
        String key = "ProtectSystem";
        for (int position = 0; position <= key.length(); position++) {
            String bad = key.substring(0, position) + (char) c + key.substring(position);

            RejectedException e = assertThrows(RejectedException.class,
                    () -> DropInDirectives.parse(SET, "service", List.of(new Directive(bad, "strict"))));

            assertEquals(String.format(Locale.ROOT,
                    "the directive name contains a control character (U+%04X) at position %d", c, position + 1),
                    e.reason());
        }
    }

    @Test
    void parse_unpairedSurrogate_refused() {
        RejectedException e = assertThrows(RejectedException.class, () -> DropInDirectives.parse(SET, "service",
                List.of(new Directive("Environment", "A=\uD800"))));
        assertEquals("contains an unpaired surrogate (U+D800) at position 3", e.reason());
    }

    @Test
    void parse_pairedSurrogateAndNonAscii_accepted() {
        List<Assignment> read = DropInDirectives.parse(SET, "service",
                List.of(new Directive("Environment", "A=\uD83D\uDE00 é")));
        assertEquals("A=\uD83D\uDE00 é", read.get(0).value());
    }

    @Test
    void parse_valueSystemdWouldIgnore_refusedInSystemdsWords() {
        RejectedException e = assertThrows(RejectedException.class, () -> DropInDirectives.parse(SET, "service",
                List.of(new Directive("PrivateTmp", "yes"), new Directive("ProtectSystem", "banana"))));
        assertEquals(1, e.index());
        assertEquals("Failed to parse protect system value, ignoring: banana", e.reason());
    }

    @Test
    void parse_unknownDirective_refusedInSystemdsWords() {
        RejectedException e = assertThrows(RejectedException.class, () -> DropInDirectives.parse(SET, "service",
                List.of(new Directive("ProtectSytem", "strict"))));
        assertEquals("Unknown key 'ProtectSytem' in section [Service]", e.reason());
    }

    @Test
    void parse_valueWithSurroundingWhitespace_refusedBecauseItWouldNotReadBack() {
        RejectedException e = assertThrows(RejectedException.class, () -> DropInDirectives.parse(SET, "service",
                List.of(new Directive("ProtectSystem", " strict "))));
        assertEquals("would read back as ProtectSystem=strict (leading or trailing whitespace, or a line systemd"
                + " splits differently)", e.reason());
    }

    @Test
    void parse_trailingBackslash_refused() {
        RejectedException e = assertThrows(RejectedException.class, () -> DropInDirectives.parse(SET, "service",
                List.of(new Directive("ReadWritePaths", "/srv\\"))));
        assertEquals("a value must not end with a backslash", e.reason());
    }

    @Test
    void read_valuesSystemdWouldIgnore_reportedAndLeftOutAsSystemdDoes() {
        Candidate candidate = DropInDirectives.read(SET, "service", List.of(new Directive("ProtectSystem", "banana"),
                new Directive("ReadWritePaths", "/srv rel"), new Directive("PrivateTmp", "yes")));

        assertEquals(List.of("ReadWritePaths=/srv rel", "PrivateTmp=yes"),
                candidate.assignments().stream().map(a -> a.key() + "=" + a.value()).toList());
        assertEquals(List.of(
                "systemd would ignore ProtectSystem=banana and run without it"
                        + " (Failed to parse protect system value, ignoring: banana)",
                "systemd would ignore part of ReadWritePaths=/srv rel"
                        + " (ReadWritePaths= path is not absolute, ignoring: rel)"),
                candidate.ignored().stream().map(DropInDirectives.IgnoredValue::describe).toList());
    }

    @Test
    void requireReadBack_textWithInjectedLine_refusedNamingWhatSystemdWouldRead() {
        List<Directive> set = List.of(new Directive("Environment", "A=b"));
        String injected = "[Service]\nEnvironment=A=b\nExecStartPre=+/usr/bin/touch /root/PWNED\n";

        RejectedException e = assertThrows(RejectedException.class,
                () -> DropInDirectives.requireReadBack(SET, "service", injected, set));

        assertEquals(0, e.index());
        assertEquals("would read back as ExecStartPre=+/usr/bin/touch /root/PWNED (leading or trailing whitespace,"
                + " or a line systemd splits differently)", e.reason());
    }

    @Test
    void requireReadBack_renderedText_equalsRequestedAssignments() {
        List<Directive> set = new ArrayList<>();
        Stream.of("ProtectSystem=strict", "ReadWritePaths=-/var/lib/app \"/srv/a b\"", "Environment=A=\"b c\" D=#e",
                "SystemCallFilter=~@mount:EPERM").forEach(s -> set.add(
                        new Directive(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1))));

        DropInDirectives.requireReadBack(SET, "service", "# header\n" + DropInDirectives.text("service", set), set);
    }

    @Test
    void printable_controlCharacters_escaped() {
        assertEquals("A\\u0000B\\u000A\\u007F", DropInDirectives.printable("A\u0000B\n\u007f"));
    }
}
