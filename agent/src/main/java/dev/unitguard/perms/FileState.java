package dev.unitguard.perms;

/** Owner, group and mode of a file, with names for output; {@code mode} is octal text such as {@code 0644}. */
public record FileState(String owner, int uid, String group, int gid, String mode) {

    static FileState of(Names names, int uid, int gid, int mode) {
        return new FileState(names.user(uid), uid, names.group(gid), gid, String.format("%04o", mode));
    }

    /** The mode as bits. */
    int bits() {
        return Integer.parseInt(mode, 8);
    }

    /** {@code owner:group}. */
    String ownership() {
        return owner + ":" + group;
    }
}
