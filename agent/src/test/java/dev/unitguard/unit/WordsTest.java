package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {

    @Test
    void split_whitespaceSeparated_givesWords() {
        assertEquals(List.of("/a", "/b", "-/c"), Words.split("  /a\t/b   -/c  "));
    }

    @Test
    void split_blank_givesNoWords() {
        assertEquals(List.of(), Words.split(""));
        assertEquals(List.of(), Words.split("  \t "));
    }

    @Test
    void split_quotes_keepSpacesAndGlueToNeighbours() {
        assertEquals(List.of("a b", "c d", "xy z", ""), Words.split("\"a b\" 'c d' x\"y z\" ''"));
    }

    @Test
    void split_otherQuoteInsideQuotes_isLiteral() {
        assertEquals(List.of("it's", "say \"hi\""), Words.split("\"it's\" 'say \"hi\"'"));
    }

    @Test
    void split_cEscapes_areDecoded() {
        assertEquals(List.of("a b", "tab\there", "q\"", "\\", "A", "é", "é", "\u20ac"),
                Words.split("a\\sb tab\\there q\\\" \\\\ \\x41 \\xc3\\xa9 \\303\\251 \\u20ac"));
    }

    @Test
    void split_escapeInsideQuotes_isDecoded() {
        assertEquals(List.of("a\"b"), Words.split("\"a\\\"b\""));
    }

    @Test
    void split_unknownEscape_keptVerbatimAsSystemdDoesAfterWarning() {
        assertEquals(List.of("a\\ b", "\\;", "\\q", "\\x0g"), Words.split("a\\ b \\; \\q \\x0g"));
    }

    @Test
    void split_nulEscape_keptVerbatim() {
        assertEquals(List.of("\\x00", "\\000"), Words.split("\\x00 \\000"));
    }

    @Test
    void split_trailingBackslash_kept() {
        assertEquals(List.of("a\\"), Words.split("a\\"));
    }

    @Test
    void split_unbalancedDoubleQuote_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Words.split("/a \"/b c"));
        assertEquals("unbalanced quoting in \"/a \"/b c\"", e.getMessage());
    }

    @Test
    void split_unbalancedSingleQuote_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Words.split("'x"));
        assertEquals("unbalanced quoting in \"'x\"", e.getMessage());
    }

    @Test
    void split_backslashAtEndInsideQuote_fails() {
        assertThrows(IllegalArgumentException.class, () -> Words.split("\"x\\"));
    }
}
