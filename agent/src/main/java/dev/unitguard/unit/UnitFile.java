package dev.unitguard.unit;

import dev.unitguard.host.RegularFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A unit file or drop-in as systemd.syntax(5) describes it. Every element keeps its original text, so
 * {@link #render()} gives back the input byte for byte; {@link #assignments()} are the settings systemd uses and
 * {@link #warnings()} what systemd would log and ignore (unknown sections and keys, lines without {@code =}, ...).
 */
public final class UnitFile {

    private final Path path;
    private final String type;
    private final List<Element> elements;
    private final List<Diagnostic> warnings;

    private UnitFile(Path path, String type, List<Element> elements, List<Diagnostic> warnings) {
        this.path = path;
        this.type = type;
        this.elements = List.copyOf(elements);
        this.warnings = List.copyOf(warnings);
    }

    /** Parses {@code text}; the unit type (for key checks) comes from the name, see {@link #typeOf(Path)}. */
    public static UnitFile parse(Path displayPath, String text) throws UnitFileException {
        return parse(displayPath, text, typeOf(displayPath));
    }

    /** Parses {@code text} as a file of a unit of {@code type} ({@code service}, ...); null checks no keys. */
    public static UnitFile parse(Path displayPath, String text, String type) throws UnitFileException {
        Objects.requireNonNull(displayPath, "displayPath");
        Objects.requireNonNull(text, "text");
        UnitFileParser parser = new UnitFileParser(displayPath, type);
        parser.parse(text);
        return new UnitFile(displayPath, type, parser.elements(), parser.warnings());
    }

    /** Reads and parses {@code file}, reporting it under its own name. */
    public static UnitFile read(Path file) throws UnitFileException {
        return read(file, file, typeOf(file));
    }

    /** Reads {@code file}, reporting it as {@code displayPath} (for example its path inside a --root). */
    public static UnitFile read(Path file, Path displayPath, String type) throws UnitFileException {
        return parse(displayPath, readText(file, displayPath), type);
    }

    static String readText(Path file, Path displayPath) throws UnitFileException {
        byte[] bytes;
        try {
            bytes = RegularFile.read(file, RegularFile.MAX_UNIT_FILE_BYTES);
        } catch (RegularFile.Refused e) {
            throw new UnitFileException(displayPath, e.getMessage());
        } catch (NoSuchFileException e) {
            throw new UnitFileException(displayPath, "no such file");
        } catch (AccessDeniedException e) {
            throw new UnitFileException(displayPath, "permission denied");
        } catch (IOException e) {
            throw new UnitFileException(displayPath, "cannot read: " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnitFileException(new Location(displayPath, firstBadLine(bytes)), "not valid UTF-8");
        }
    }

    private static int firstBadLine(byte[] bytes) {
        String lossy = new String(bytes, StandardCharsets.UTF_8);
        List<String[]> lines = UnitFileParser.splitLines(lossy);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i)[0].indexOf('\uFFFD') >= 0) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * The unit type a file belongs to, from its name: {@code foo.service} and {@code foo.service.d/x.conf} give
     * {@code service}, a type drop-in {@code service.d/x.conf} too; null when the name says nothing known.
     */
    public static String typeOf(Path path) {
        Path fileName = path.getFileName();
        String name = fileName == null ? "" : fileName.toString();
        if (name.endsWith(".conf") && path.getParent() != null && path.getParent().getFileName() != null) {
            String dir = path.getParent().getFileName().toString();
            name = dir.endsWith(".d") ? dir.substring(0, dir.length() - 2) : dir;
        }
        String type = name.substring(name.lastIndexOf('.') + 1);
        return ConfigItems.UNIT_TYPES.contains(type) ? type : null;
    }

    public Path path() {
        return path;
    }

    /** The unit type the file was checked against, or null. */
    public String type() {
        return type;
    }

    public List<Element> elements() {
        return elements;
    }

    public List<Diagnostic> warnings() {
        return warnings;
    }

    /** The settings systemd applies from this file, in order, located at the line systemd reports. */
    public List<Assignment> assignments() {
        return elements.stream()
                .filter(e -> e instanceof Element.Setting s && s.inForce())
                .map(e -> (Element.Setting) e)
                .map(s -> new Assignment(s.section(), s.key(), s.value(), new Location(path, s.line())))
                .toList();
    }

    /** The file's text exactly as parsed. */
    public String render() {
        return elements.stream().map(Element::raw).collect(Collectors.joining());
    }

    /**
     * Writes assignments as a new file (a drop-in, say): a {@code [Section]} header whenever the section changes,
     * then {@code Key=Value} lines. A value with a line break cannot be written and is refused.
     */
    public static String write(List<Assignment> assignments) {
        StringBuilder out = new StringBuilder();
        String section = null;
        for (Assignment a : assignments) {
            if (a.value().indexOf('\n') >= 0 || a.value().indexOf('\r') >= 0) {
                throw new IllegalArgumentException("value of " + a.key() + "= contains a line break");
            }
            if (a.value().endsWith("\\")) {
                throw new IllegalArgumentException("value of " + a.key() + "= ends with a backslash");
            }
            if (!a.section().equals(section)) {
                out.append(section == null ? "" : "\n").append('[').append(a.section()).append("]\n");
                section = a.section();
            }
            out.append(a.key()).append('=').append(a.value()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "UnitFile[" + path + ", " + elements.size() + " elements]";
    }
}
