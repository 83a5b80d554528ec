package dev.unitguard.host;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Discretionary access control as the Linux kernel applies it: owner, group or other permission bits, chosen by
 * the process' uid, gid and supplementary groups; search permission on every directory along the path; root
 * (uid 0, with CAP_DAC_OVERRIDE) passes every check except executing a file that has no execute bit at all. A file
 * with an extended POSIX ACL is judged by its entries as {@code posix_acl_permission()} does (owner, named users,
 * owning and named groups, other; the mask limits all but the owner and other). Mount flags (read-only, noexec) and hidden paths are not this class' business.
 */
public final class Dac {

    private Dac() {
    }

    /** The identity a process runs with. */
    public record Credentials(int uid, int gid, Set<Integer> supplementaryGroups) {

        public Credentials {
            supplementaryGroups = Set.copyOf(supplementaryGroups);
        }

        public static Credentials root() {
            return new Credentials(0, 0, Set.of());
        }

        public boolean isRoot() {
            return uid == 0;
        }

        public boolean inGroup(int group) {
            return gid == group || supplementaryGroups.contains(group);
        }
    }

    /** The outcome of walking a path. */
    public record Decision(Outcome outcome, String path, String reason) {
        public boolean ok() {
            return outcome == Outcome.GRANTED;
        }
    }

    public enum Outcome { GRANTED, DENIED, MISSING }

    /** Whether {@code credentials} may access {@code file} itself in every way of {@code access}. */
    public static boolean permits(Credentials credentials, FileInfo file, Set<Access> access) {
        if (credentials.isRoot()) {
            return !access.contains(Access.X) || file.isDirectory() || (file.mode() & 0111) != 0;
        }
        return permitsByMode(credentials, file, access);
    }

    /**
     * Whether the file's mode bits and ACL alone grant {@code access} to {@code credentials}, as for any other user
     * even when the uid is 0: what root needs {@code CAP_DAC_OVERRIDE} or {@code CAP_DAC_READ_SEARCH} for is what
     * this refuses.
     */
    public static boolean permitsByMode(Credentials credentials, FileInfo file, Set<Access> access) {
        int want = bits(access);
        if (!file.acl().isEmpty()) {
            return aclPermits(credentials, file, want);
        }
        return (classBits(credentials, file) & want) == want;
    }

    static int bits(Set<Access> access) {
        return (access.contains(Access.R) ? 4 : 0) | (access.contains(Access.W) ? 2 : 0)
                | (access.contains(Access.X) ? 1 : 0);
    }

    /** The kernel's {@code posix_acl_permission()}: the first matching class decides, any matching group may grant. */
    private static boolean aclPermits(Credentials credentials, FileInfo file, int want) {
        int mask = file.acl().stream().filter(e -> e.tag() == AclEntry.Tag.MASK).mapToInt(AclEntry::perms)
                .findFirst().orElse(7);
        if (credentials.uid() == file.uid()) {
            return (entry(file, AclEntry.Tag.USER_OBJ) & want) == want;
        }
        for (AclEntry e : file.acl()) {
            if (e.tag() == AclEntry.Tag.USER && e.id() == credentials.uid()) {
                return (e.perms() & mask & want) == want;
            }
        }
        boolean groupMatched = false;
        for (AclEntry e : file.acl()) {
            boolean matches = e.tag() == AclEntry.Tag.GROUP_OBJ && credentials.inGroup(file.gid())
                    || e.tag() == AclEntry.Tag.GROUP && credentials.inGroup(e.id());
            if (matches) {
                if ((e.perms() & mask & want) == want) {
                    return true;
                }
                groupMatched = true;
            }
        }
        return !groupMatched && (entry(file, AclEntry.Tag.OTHER) & want) == want;
    }

    private static int entry(FileInfo file, AclEntry.Tag tag) {
        return file.acl().stream().filter(e -> e.tag() == tag).mapToInt(AclEntry::perms).findFirst().orElse(0);
    }

    private static int classBits(Credentials credentials, FileInfo file) {
        if (credentials.uid() == file.uid()) {
            return (file.mode() >> 6) & 7;
        }
        if (credentials.inGroup(file.gid())) {
            return (file.mode() >> 3) & 7;
        }
        return file.mode() & 7;
    }

    /**
     * Walks the absolute, symlink-free {@code path}: search permission on each ancestor, then {@code access} on
     * the file. A missing file needs write access to be created: then the parent must grant write and search.
     *
     * @param lookup the file at a path as the process sees it, empty when it does not exist
     */
    public static Decision check(Credentials credentials, String path, Set<Access> access,
                                 Function<String, Optional<FileInfo>> lookup) {
        String current = "/";
        Optional<FileInfo> info = lookup.apply("/");
        for (String component : components(path)) {
            if (info.isEmpty()) {
                return new Decision(Outcome.MISSING, current, current + ": No such file or directory");
            }
            if (!info.get().isDirectory()) {
                return new Decision(Outcome.MISSING, current, current + ": Not a directory");
            }
            if (!permits(credentials, info.get(), Set.of(Access.X))) {
                return new Decision(Outcome.DENIED, current, "no search permission on " + current
                        + " (" + describe(info.get()) + ")");
            }
            String next = current.equals("/") ? "/" + component : current + "/" + component;
            Optional<FileInfo> child = lookup.apply(next);
            if (child.isEmpty() && next.equals(path) && access.contains(Access.W)) {
                return create(credentials, current, info.get(), path);
            }
            current = next;
            info = child;
        }
        if (info.isEmpty()) {
            return new Decision(Outcome.MISSING, current, current + ": No such file or directory");
        }
        if (!permits(credentials, info.get(), access)) {
            return new Decision(Outcome.DENIED, current, "no " + Access.format(access) + " permission on " + current
                    + " (" + describe(info.get()) + ")");
        }
        return new Decision(Outcome.GRANTED, current, null);
    }

    private static Decision create(Credentials credentials, String parent, FileInfo parentInfo, String path) {
        if (!permits(credentials, parentInfo, Set.of(Access.W, Access.X))) {
            return new Decision(Outcome.DENIED, parent, "cannot create " + path + ": no write permission on "
                    + parent + " (" + describe(parentInfo) + ")");
        }
        return new Decision(Outcome.GRANTED, parent, path + " does not exist yet and can be created in " + parent);
    }

    /** {@code owner 0 group 0 mode 0755}, for messages. */
    public static String describe(FileInfo info) {
        String acl = info.acl().isEmpty() ? "" : " acl " + String.join(",", info.acl().stream()
                .map(AclEntry::toString).toList());
        return "owner " + info.uid() + " group " + info.gid() + " mode " + String.format("%04o", info.mode()) + acl;
    }

    /** The non-empty components of a path: {@code //a//b/} gives {@code a}, {@code b} (no regular expression: hot). */
    public static String[] components(String path) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int n = path.length();
        int i = 0;
        while (i < n) {
            while (i < n && path.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < n && path.charAt(i) != '/') {
                i++;
            }
            if (i > start) {
                out.add(path.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }
}
