package dev.unitguard.unit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * systemd 252's {@code config_parse()} for unit files: line splitting ({@code \n}, {@code \r\n}, {@code \r}),
 * comments (skipped even inside a continuation), backslash continuation, section headers and assignments, with
 * systemd's own warning texts. One instance parses one file.
 */
final class UnitFileParser {

    /** systemd's LONG_LINE_MAX: a line of this many bytes or more makes the unit fail to load. */
    static final int LONG_LINE_MAX = 1024 * 1024;

    private final Path file;
    private final String type;
    private final ConfigItems items = ConfigItems.systemd252();
    private final List<Element> elements = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private String sectionName;
    private boolean sectionKnown;

    /** {@code type} null: any section is accepted and keys are not checked. */
    UnitFileParser(Path file, String type) {
        this.file = file;
        this.type = type;
    }

    List<Element> elements() {
        return elements;
    }

    List<Diagnostic> warnings() {
        return warnings;
    }

    void parse(String text) throws UnitFileException {
        StringBuilder raw = new StringBuilder();
        StringBuilder continuation = null;
        int lineNo = 0;
        for (String[] physical : splitLines(text)) {
            lineNo++;
            String content = lineNo == 1 && physical[0].startsWith("\uFEFF") ? physical[0].substring(1) : physical[0];
            if (utf8Length(content) >= LONG_LINE_MAX) {
                throw new UnitFileException(new Location(file, lineNo), "line too long (1048576 bytes or more)");
            }
            String rawLine = physical[0] + physical[1];
            String lead = stripLeading(physical[0]); // systemd looks for comments before dropping a BOM
            if (!lead.isEmpty() && (lead.charAt(0) == '#' || lead.charAt(0) == ';')) {
                if (continuation != null) {
                    raw.append(rawLine);
                } else {
                    elements.add(new Element.Comment(rawLine, lineNo));
                }
                continue;
            }
            raw.append(rawLine);
            String joined = continuation == null ? content : continuation.append(content).toString();
            if (continuation != null && utf8Length(joined) > LONG_LINE_MAX) {
                throw new UnitFileException(new Location(file, lineNo), "continuation line too long");
            }
            if (endsWithEscape(joined)) {
                continuation = new StringBuilder(joined.length() + 64).append(joined, 0, joined.length() - 1).append(' ');
                continue;
            }
            continuation = null;
            parseLine(joined, raw.toString(), lineNo);
            raw.setLength(0);
        }
        if (continuation != null) {
            parseLine(continuation.toString(), raw.toString(), lineNo + 1);
        }
    }

    private void parseLine(String text, String raw, int line) throws UnitFileException {
        String l = strip(text);
        if (l.isEmpty()) {
            elements.add(new Element.Blank(raw, line));
        } else if (l.charAt(0) == '[') {
            parseSection(l, raw, line);
        } else if (sectionName == null) {
            warn(line, "Assignment outside of section. Ignoring.");
            elements.add(new Element.Ignored(raw, line));
        } else if (l.indexOf('=') < 0) {
            warn(line, "Missing '=', ignoring line.");
            elements.add(new Element.Ignored(raw, line));
        } else if (l.charAt(0) == '=') {
            warn(line, "Missing key name before '=', ignoring line.");
            elements.add(new Element.Ignored(raw, line));
        } else {
            parseAssignment(l, raw, line);
        }
    }

    private void parseSection(String l, String raw, int line) throws UnitFileException {
        if (l.charAt(l.length() - 1) != ']') {
            throw new UnitFileException(new Location(file, line), "invalid section header '" + l + "'");
        }
        String name = l.substring(1, l.length() - 1);
        if (name.chars().anyMatch(c -> c < ' ' || c == 127 || c == '\\' || c == '"' || c == '\'')) {
            throw new UnitFileException(new Location(file, line), "bad characters in section header '" + l + "'");
        }
        boolean known = type == null || items.sectionKnown(type, name);
        if (!known && !name.startsWith("X-")) {
            warn(line, "Unknown section '" + name + "'. Ignoring.");
        }
        sectionName = name;
        sectionKnown = known;
        elements.add(new Element.SectionHeader(raw, line, name, known));
    }

    private void parseAssignment(String l, String raw, int line) {
        int eq = l.indexOf('=');
        String key = strip(l.substring(0, eq));
        String value = strip(l.substring(eq + 1));
        boolean inForce = sectionKnown || sectionName.startsWith("X-");
        if (sectionKnown && type != null && !key.startsWith("X-") && !items.keyKnown(sectionName, key)) {
            warn(line, "Unknown key '" + key + "' in section [" + sectionName + "], ignoring.");
            inForce = false;
        } else if (inForce && sectionKnown && type != null && !sectionName.equals("Unit")
                && !sectionName.equals("Install")) {
            checkValue(key, value, line);
        }
        elements.add(new Element.Setting(raw, line, sectionName, key, value, inForce));
    }

    /**
     * Logs what systemd 252 would say about the value. The assignment stays in the file's model: the sandbox and
     * exposure models parse each setting as the modelled release does (later releases accept values 252 ignores,
     * such as {@code PrivateTmp=disconnected}), and ignore what that release ignores.
     */
    private void checkValue(String key, String value, int line) {
        DirectiveValues.check(key, value).ifPresent(v -> v.warnings().forEach(w -> warn(line, w)));
    }

    private void warn(int line, String message) {
        warnings.add(new Diagnostic(new Location(file, line), message));
    }

    /**
     * Physical lines as {content, terminator}; the last may have an empty terminator. Like systemd's
     * {@code read_line()}, a line ends at {@code \n} or {@code \r}, and {@code \r\n} and {@code \n\r} are one
     * line end each.
     */
    static List<String[]> splitLines(String text) {
        List<String[]> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                char other = c == '\n' ? '\r' : '\n';
                int end = i + 1 < text.length() && text.charAt(i + 1) == other ? i + 2 : i + 1;
                lines.add(new String[] {text.substring(start, i), text.substring(i, end)});
                start = end;
                i = end;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            lines.add(new String[] {text.substring(start), ""});
        }
        return lines;
    }

    /** True when the text ends in an odd run of backslashes, as systemd's escape scan finds. */
    private static boolean endsWithEscape(String text) {
        int n = 0;
        for (int i = text.length() - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Words.WHITESPACE.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && Words.WHITESPACE.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String stripLeading(String s) {
        int start = 0;
        while (start < s.length() && Words.WHITESPACE.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        return s.substring(start);
    }

    private static int utf8Length(String s) {
        return s.length() < LONG_LINE_MAX / 3 ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
