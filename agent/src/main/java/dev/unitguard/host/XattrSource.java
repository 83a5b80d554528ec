package dev.unitguard.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a file's extended attributes without following a symbolic link ({@code lgetxattr(2)}). The JDK cannot reach
 * the {@code system.} namespace, so the implementation is native and lives outside the pure core: it is found with
 * {@link java.util.ServiceLoader}.
 */
public interface XattrSource {

    /**
     * The value of attribute {@code name} of {@code file}, or empty when the file has none (or its file system keeps
     * none); a missing or unreadable file is an {@link IOException} naming it.
     */
    Optional<byte[]> get(Path file, String name) throws IOException;
}
