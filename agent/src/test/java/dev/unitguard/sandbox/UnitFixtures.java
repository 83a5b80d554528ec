package dev.unitguard.sandbox;

import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fixture units of {@code src/test/resources/units/} into {@link EffectiveUnit}s. The fixtures are plain
 * {@code [Section]} and {@code Key=Value} lines; the real loader lives in the {@code unit} package.
 */
public final class UnitFixtures {

    private UnitFixtures() {
    }

    public static EffectiveUnit load(String name) {
        try {
            Path file = Path.of(UnitFixtures.class.getResource("/units/" + name).toURI());
            EffectiveUnit.Builder builder = EffectiveUnit.builder(name).fragmentPath(file);
            for (Assignment a : parse(file, Files.readAllLines(file))) {
                builder.add(a);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no fixture unit " + name, e);
        }
    }

    /** A drop-in given as text, layered on top of {@code unit}. */
    public static EffectiveUnit withDropIn(EffectiveUnit unit, String text) {
        Path file = Path.of(unit.name() + ".d/99-unitguard.conf");
        return unit.withDropIn(file, parse(file, text.lines().toList()));
    }

    private static List<Assignment> parse(Path file, List<String> lines) {
        List<Assignment> out = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            } else if (!line.isEmpty() && !line.startsWith("#") && line.contains("=")) {
                int eq = line.indexOf('=');
                out.add(new Assignment(section, line.substring(0, eq).strip(), line.substring(eq + 1).strip(),
                        new Location(file, i + 1)));
            }
        }
        return out;
    }
}
