package dev.unitguard.host;

import java.util.Objects;

/**
 * One entry of a POSIX access ACL, as {@code getfacl --numeric} prints it: {@code user::rw-}, {@code user:33:rw-},
 * {@code group::r--}, {@code group:110:r--}, {@code mask::rw-}, {@code other::---}.
 *
 * @param id    the uid or gid of a named {@code user:} or {@code group:} entry, null for the others
 * @param perms the permission bits, {@code rwx} as {@code 4 2 1}
 */
public record AclEntry(Tag tag, Integer id, int perms) {

    public enum Tag {
        USER_OBJ("user"), USER("user"), GROUP_OBJ("group"), GROUP("group"), MASK("mask"), OTHER("other");

        private final String word;

        Tag(String word) {
            this.word = word;
        }
    }

    public AclEntry {
        Objects.requireNonNull(tag, "tag");
        if ((id != null) != (tag == Tag.USER || tag == Tag.GROUP)) {
            throw new IllegalArgumentException("only named user and group entries carry an id: " + tag);
        }
        if ((perms & ~7) != 0) {
            throw new IllegalArgumentException("ACL permissions must be within rwx: " + perms);
        }
    }

    /**
     * Parses one line of {@code getfacl --numeric --omit-header --no-effective}.
     *
     * @throws IllegalArgumentException naming the line
     */
    public static AclEntry parse(String line) {
        String[] f = line.split(":", -1);
        if (f.length != 3 || !f[2].matches("[r-][w-][x-]")) {
            throw new IllegalArgumentException("not an ACL entry: \"" + line + "\"");
        }
        int perms = (f[2].charAt(0) == 'r' ? 4 : 0) | (f[2].charAt(1) == 'w' ? 2 : 0) | (f[2].charAt(2) == 'x' ? 1 : 0);
        boolean named = !f[1].isEmpty();
        if (named && !f[1].matches("[0-9]+")) {
            throw new IllegalArgumentException("not a numeric ACL qualifier: \"" + line + "\"");
        }
        Integer id = named ? Integer.valueOf(f[1]) : null;
        Tag tag = switch (f[0]) {
            case "user" -> named ? Tag.USER : Tag.USER_OBJ;
            case "group" -> named ? Tag.GROUP : Tag.GROUP_OBJ;
            case "mask" -> Tag.MASK;
            case "other" -> Tag.OTHER;
            default -> throw new IllegalArgumentException("not an ACL entry: \"" + line + "\"");
        };
        if (named && tag != Tag.USER && tag != Tag.GROUP) {
            throw new IllegalArgumentException("not an ACL entry: \"" + line + "\"");
        }
        return new AclEntry(tag, id, perms);
    }

    /** {@code rw-} style letters. */
    public String letters() {
        return ((perms & 4) != 0 ? "r" : "-") + ((perms & 2) != 0 ? "w" : "-") + ((perms & 1) != 0 ? "x" : "-");
    }

    /** The entry in getfacl's numeric form, for example {@code user:33:rw-}. */
    @Override
    public String toString() {
        return tag.word + ":" + (id == null ? "" : id) + ":" + letters();
    }
}
