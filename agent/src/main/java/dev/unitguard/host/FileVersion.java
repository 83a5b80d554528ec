package dev.unitguard.host;

import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Which version of a file an {@code lstat()} saw: its inode, size, mtime and ctime. A write, a rename over it, a
 * chmod, chown or ACL change gives another; a cache of something read from the file holds while this stays equal,
 * once the file is {@link #settled()}.
 */
public record FileVersion(long ino, long size, FileTime mtime, FileTime ctime) {

    public FileVersion {
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(ctime, "ctime");
    }

    /**
     * Whether the ctime is old enough to tell changes apart: a second change within the kernel's clock tick keeps
     * the ctime, so a file changed in the last second is read again each time ({@link HostView#settled}).
     */
    public boolean settled() {
        return HostView.settled(ctime);
    }
}
