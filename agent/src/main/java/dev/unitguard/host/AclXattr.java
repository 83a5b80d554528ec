package dev.unitguard.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The POSIX ACLs of a file read from its extended attributes {@code system.posix_acl_access} and
 * {@code system.posix_acl_default}, in the kernel's format (linux/posix_acl_xattr.h): a little-endian 32-bit version,
 * 2, then entries of a 16-bit tag, 16-bit permissions and a 32-bit uid or gid (only named user and group entries
 * carry one). The kernel keeps the entries sorted by tag and id, the order getfacl prints them in.
 */
final class AclXattr implements AclReader {

    static final String ACCESS = "system.posix_acl_access";
    static final String DEFAULT = "system.posix_acl_default";
    private static final int VERSION = 2;
    private static final int HEADER = 4;
    private static final int ENTRY = 8;

    private final XattrSource xattr;

    AclXattr(XattrSource xattr) {
        this.xattr = xattr;
    }

    @Override
    public List<AclEntry> read(Path file) throws IOException {
        List<AclEntry> entries = entries(file, ACCESS);
        return entries.size() <= 3 ? List.of() : entries;
    }

    /** The default ACL of a directory (what new files in it inherit); empty when it has none. */
    List<AclEntry> readDefault(Path directory) throws IOException {
        return entries(directory, DEFAULT);
    }

    private List<AclEntry> entries(Path file, String attribute) throws IOException {
        var value = xattr.get(file, attribute);
        return value.isEmpty() ? List.of() : parse(value.get(), file + ": " + attribute);
    }

    /**
     * Parses an ACL attribute's value.
     *
     * @throws IOException naming {@code where} and what is wrong with the value
     */
    static List<AclEntry> parse(byte[] value, String where) throws IOException {
        if (value.length < HEADER || (value.length - HEADER) % ENTRY != 0) {
            throw new IOException(where + ": not a POSIX ACL: " + value.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new IOException(where + ": unknown POSIX ACL version " + version);
        }
        List<AclEntry> entries = new ArrayList<>();
        while (buffer.hasRemaining()) {
            int tag = Short.toUnsignedInt(buffer.getShort());
            int perms = Short.toUnsignedInt(buffer.getShort());
            long id = Integer.toUnsignedLong(buffer.getInt());
            entries.add(entry(tag, perms, id, where));
        }
        return List.copyOf(entries);
    }

    private static AclEntry entry(int tag, int perms, long id, String where) throws IOException {
        AclEntry.Tag kind = switch (tag) {
            case 0x01 -> AclEntry.Tag.USER_OBJ;
            case 0x02 -> AclEntry.Tag.USER;
            case 0x04 -> AclEntry.Tag.GROUP_OBJ;
            case 0x08 -> AclEntry.Tag.GROUP;
            case 0x10 -> AclEntry.Tag.MASK;
            case 0x20 -> AclEntry.Tag.OTHER;
            default -> throw new IOException(where + ": unknown POSIX ACL tag 0x" + Integer.toHexString(tag));
        };
        if ((perms & ~7) != 0) {
            throw new IOException(where + ": POSIX ACL permissions out of rwx: " + perms);
        }
        boolean named = kind == AclEntry.Tag.USER || kind == AclEntry.Tag.GROUP;
        if (named && id > Integer.MAX_VALUE) {
            throw new IOException(where + ": POSIX ACL id out of range: " + id);
        }
        return new AclEntry(kind, named ? Integer.valueOf((int) id) : null, perms);
    }
}
