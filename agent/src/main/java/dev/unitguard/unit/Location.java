package dev.unitguard.unit;

import java.nio.file.Path;
import java.util.Objects;

/** Where a piece of configuration came from: a file and a 1-based line number (0 when not from a file). */
public record Location(Path file, int line) {

    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0: " + line);
        }
    }

    /** A location for values that did not come from a file, such as {@code --set} on the command line. */
    public static Location synthetic(String origin) {
        return new Location(Path.of(origin), 0);
    }

    @Override
    public String toString() {
        return line == 0 ? file.toString() : file + ":" + line;
    }
}
