package dev.unitguard.host;

import java.util.List;

/**
 * What {@code lstat()} tells about a file, as far as access decisions go.
 *
 * @param mode the permission bits including setuid, setgid and sticky ({@code 07777}); with an ACL, the group
 *             bits are the ACL mask
 * @param acl  the extended POSIX access ACL, empty when the file has none (or ACLs were not read)
 */
public record FileInfo(Type type, int uid, int gid, int mode, List<AclEntry> acl) {

    public enum Type { DIRECTORY, REGULAR, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET }

    public FileInfo {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode has bits outside 07777: " + Integer.toOctalString(mode));
        }
        acl = List.copyOf(acl);
    }

    /** A file without an extended ACL. */
    public FileInfo(Type type, int uid, int gid, int mode) {
        this(type, uid, gid, mode, List.of());
    }

    public FileInfo withAcl(List<AclEntry> entries) {
        return new FileInfo(type, uid, gid, mode, entries);
    }

    public static FileInfo directory(int uid, int gid, int mode) {
        return new FileInfo(Type.DIRECTORY, uid, gid, mode);
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    public boolean isDevice() {
        return type == Type.CHAR_DEVICE || type == Type.BLOCK_DEVICE;
    }

    static Type typeOf(int stMode) {
        return switch (stMode & 0170000) {
            case 0040000 -> Type.DIRECTORY;
            case 0120000 -> Type.SYMLINK;
            case 0020000 -> Type.CHAR_DEVICE;
            case 0060000 -> Type.BLOCK_DEVICE;
            case 0010000 -> Type.FIFO;
            case 0140000 -> Type.SOCKET;
            default -> Type.REGULAR;
        };
    }
}
