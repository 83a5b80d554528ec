package dev.unitguard.host;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What {@code lstat(2)} tells of a file, asked without the JDK's attribute map and without an exception for a missing
 * file (the JDK fills in a stack trace for each {@code NoSuchFileException}, which costs more than the system call on
 * paths a check finds missing by design, such as {@code /proc/apm}). The implementation is native and lives outside
 * the pure core: it is found with {@link java.util.ServiceLoader}; without it, {@link HostView} asks the JDK.
 */
public interface StatSource {

    /**
     * The fields of {@code struct stat} a {@link HostView} uses, as the JDK's {@code unix:} attributes give them
     * ({@code dev} encoded as the C library's {@code makedev()}, times with nanoseconds).
     */
    record Stat(int mode, int uid, int gid, long ino, long dev, long size, FileTime mtime, FileTime ctime) {
    }

    /**
     * The file at {@code path}, a final symlink followed only when {@code follow}; empty when it cannot be stat'ed
     * (missing, a component not a directory, not allowed), as the JDK's {@code IOException} would say.
     */
    Optional<Stat> stat(Path path, boolean follow);
}
