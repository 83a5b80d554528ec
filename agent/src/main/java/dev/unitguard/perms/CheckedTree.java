package dev.unitguard.perms;

import dev.unitguard.host.Access;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.PathRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The required paths (their ancestors' symlinks resolved, the last component as written) and everything below the
 * required directories; and the symlinks that point out of it: in it, or on the way to a required path (an ancestor
 * such as {@code /var/lib/app/etcdir -> /etc} for {@code /var/lib/app/etcdir/shadow}). Fixes never touch a path
 * reached through such a symlink.
 */
final class CheckedTree {

    /** A symlink at or below a required path whose target lies outside every required path. */
    record Escape(String link, String target, boolean writable) {
    }

    private final List<String> roots = new ArrayList<>();
    private final List<Escape> escapes = new ArrayList<>();

    CheckedTree(HostView host, List<PathRequirement> requirements) {
        for (PathRequirement r : requirements) {
            roots.add(root(host, r.path()));
        }
        for (PathRequirement r : requirements) {
            String root = root(host, r.path());
            boolean writable = r.access().contains(Access.W);
            for (String ancestor : symlinkedAncestors(host, r.path())) {
                check(host, ancestor, writable);
            }
            Optional<FileInfo> info = host.lstat(root);
            if (info.isPresent() && info.get().type() == FileInfo.Type.SYMLINK) {
                check(host, root, writable);
            } else if (info.isPresent() && info.get().isDirectory()) {
                for (Walk.Entry e : Walk.below(host, root)) {
                    if (e.info().type() == FileInfo.Type.SYMLINK) {
                        check(host, e.path(), writable);
                    }
                }
            }
        }
    }

    /** The ancestors of a required path (as written, their own ancestors resolved) that are symlinks. */
    private static List<String> symlinkedAncestors(HostView host, String path) {
        List<String> links = new ArrayList<>();
        String[] names = path.replaceAll("^/+", "").split("/+");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < names.length - 1; i++) {
            prefix.append('/').append(names[i]);
            String at = root(host, prefix.toString());
            if (host.lstat(at).map(f -> f.type() == FileInfo.Type.SYMLINK).orElse(false)) {
                links.add(at);
            }
        }
        return links;
    }

    /** The path with the symlinks of its ancestors resolved, the last component kept as written. */
    static String root(HostView host, String path) {
        String canonical = host.resolve(path);
        if (canonical.equals("/")) {
            return "/";
        }
        String name = path.replaceAll("/+$", "");
        name = name.substring(name.lastIndexOf('/') + 1);
        if (name.equals(".") || name.equals("..")) {
            return canonical;
        }
        return HostView.child(host.resolve(HostView.parent(path.replaceAll("/+$", ""))), name);
    }

    private void check(HostView host, String link, boolean writable) {
        String target = host.resolve(link);
        if (roots.stream().noneMatch(r -> under(target, r)) && escapes.stream().noneMatch(e -> e.link().equals(link))) {
            escapes.add(new Escape(link, target, writable));
        }
    }

    List<Escape> escapes() {
        return List.copyOf(escapes);
    }

    /** The escape a canonical path was reached through, if it lies at or below an escaping symlink's target. */
    Optional<Escape> escapeFor(String canonical) {
        return escapes.stream().filter(e -> under(canonical, e.target())).findFirst();
    }

    /** Whether a fix may change the file at this canonical path. */
    boolean fixable(String canonical) {
        return escapeFor(canonical).isEmpty();
    }

    static boolean under(String path, String dir) {
        return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
    }
}
