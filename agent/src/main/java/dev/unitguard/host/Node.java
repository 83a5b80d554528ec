package dev.unitguard.host;

import java.util.Objects;

/**
 * One file as {@code fstat}/{@code fstatat(AT_SYMLINK_NOFOLLOW)} saw it through a directory handle: its kind, owner,
 * group, mode (the 07777 bits), link count and identity ({@code key}: device and inode). Owner, mode and link count
 * come from an {@code lstat} of the same path whose identity matched the handle's, so they belong to that file.
 */
public record Node(Kind kind, int uid, int gid, int mode, int links, Object key) {

    /** What the file is; anything other than a regular file, a directory or a symlink is {@code OTHER}. */
    public enum Kind { REGULAR, DIRECTORY, SYMLINK, OTHER }

    public Node {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode has bits outside 07777: " + Integer.toOctalString(mode));
        }
    }

    /** {@code owner 0 group 0 mode 0644}, as messages show a file's state. */
    public String describe() {
        return "owner " + uid + " group " + gid + " mode " + String.format("%04o", mode);
    }
}
