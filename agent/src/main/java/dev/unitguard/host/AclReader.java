package dev.unitguard.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the POSIX access ACL of a file. The JDK cannot: on Linux it offers no {@code AclFileAttributeView}, and
 * {@code UserDefinedFileAttributeView} only reaches the {@code user.} extended attributes, not
 * {@code system.posix_acl_access}. So the ACL is read in process from that attribute with {@code lgetxattr(2)}
 * (no {@code getfacl} fork per file).
 */
public interface AclReader {

    /** The extended access ACL of a file that is not a symlink; empty when it has only the three base entries. */
    List<AclEntry> read(Path file) throws IOException;

    /** Reads no ACLs: every file is treated as having only its mode bits. */
    AclReader NONE = file -> List.of();

    /** The ACLs from the files' extended attributes, or {@link #NONE} when the C library cannot be bound here. */
    static AclReader system() {
        return SystemAcls.READER;
    }
}
