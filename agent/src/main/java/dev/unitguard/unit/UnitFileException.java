package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A unit file that cannot be used at all: unreadable, missing, not UTF-8, a line too long, or a broken section
 * header (systemd refuses to load such a unit). The message names the file, the line where there is one, and the
 * problem.
 */
public final class UnitFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Location location;

    public UnitFileException(Location location, String problem) {
        super(location + ": " + problem);
        this.location = location;
    }

    public UnitFileException(Path file, String problem) {
        this(new Location(file, 0), problem);
    }

    public Location location() {
        return location;
    }
}
