package dev.unitguard.perms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file's ownership and mode change: the state it must be in now, the state it is put in, and the exact shell
 * commands doing the same ({@code chown}, then {@code chmod}). Paths are as seen inside the checked root.
 */
public record Change(String path, FileState before, FileState after, List<String> commands) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@%+=:,-]+");

    public Change {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        commands = List.copyOf(commands);
    }

    /** The change from {@code before} to {@code after}, its commands derived from the difference. */
    static Change of(String path, FileState before, FileState after) {
        List<String> commands = new ArrayList<>();
        if (before.uid() != after.uid() || before.gid() != after.gid()) {
            commands.add("chown " + after.ownership() + " " + quote(path));
        }
        if (!before.mode().equals(after.mode()) || !commands.isEmpty() && after.bits() > 0777) {
            commands.add("chmod " + after.mode() + " " + quote(path));
        }
        return new Change(path, before, after, commands);
    }

    boolean changesOwner() {
        return before.uid() != after.uid() || before.gid() != after.gid();
    }

    boolean changesMode() {
        return !before.mode().equals(after.mode());
    }

    /** A path as one shell word. */
    static String quote(String path) {
        return PLAIN.matcher(path).matches() ? path : "'" + path.replace("'", "'\\''") + "'";
    }
}
