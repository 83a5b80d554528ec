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
    private final boolean notFound;

    public UnitFileException(Location location, String problem) {
        this(location, problem, false);
    }

    public UnitFileException(Path file, String problem) {
        this(new Location(file, 0), problem);
    }

    private UnitFileException(Location location, String problem, boolean notFound) {
        super(location + ": " + problem);
        this.location = location;
        this.notFound = notFound;
    }

    /** No unit of that name in the search path: the caller asked for something that is not there (HTTP 404). */
    static UnitFileException notFound(String name, String problem) {
        return new UnitFileException(new Location(Path.of(name), 0), problem, true);
    }

    public Location location() {
        return location;
    }

    /** True when no unit of the name exists, rather than one that exists but cannot be used. */
    public boolean isNotFound() {
        return notFound;
    }
}
