package dev.unitguard.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a directory the agent writes into as root is its own: the directory itself (a link to one is not), owned
 * by root, with a mode the caller accepts. The probe's output directory and the tracer's directory ask this before
 * they trust what is in them.
 */
public final class OwnedDirectory {

    private OwnedDirectory() {
    }

    /**
     * True when {@code dir} is a directory, not a link, owned by uid 0, whose permissions {@code mode} accepts; false
     * when it is anything else or missing. The attributes are read once, without following a link.
     */
    public static boolean ownedByRoot(Path dir, Predicate<Set<PosixFilePermission>> mode) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:isDirectory,uid,permissions", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Set<PosixFilePermission> permissions = (Set<PosixFilePermission>) a.get("permissions");
        return Boolean.TRUE.equals(a.get("isDirectory")) && Integer.valueOf(0).equals(a.get("uid"))
                && mode.test(permissions);
    }

    /** A mode with none of {@code forbidden}. */
    public static Predicate<Set<PosixFilePermission>> without(Set<PosixFilePermission> forbidden) {
        return permissions -> Collections.disjoint(permissions, forbidden);
    }

    /** Exactly {@code mode}, written as {@code ls} does: {@code rwx------}. */
    public static Predicate<Set<PosixFilePermission>> exactly(String mode) {
        return PosixFilePermissions.fromString(mode)::equals;
    }
}
