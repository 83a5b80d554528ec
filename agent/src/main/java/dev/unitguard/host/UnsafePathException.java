package dev.unitguard.host;

import java.nio.file.FileSystemException;

/**
 * A path unitguard refuses to work through: a symlink at some component, a file that is neither a regular file nor a
 * directory, a regular file with more than one hard link, or a file that changed under it. The message names the
 * component: {@code /var/lib/app/etcdir: is a symlink (to /etc); unitguard does not follow links}.
 */
public final class UnsafePathException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    public UnsafePathException(String path, String reason) {
        super(path, null, reason);
    }
}
