package dev.unitguard.perms;

import java.util.List;

/**
 * {@code symlink-out-of-tree}: a required path, or an entry below a required directory, is a symlink to a place
 * outside every required path. The service follows it, so its access is checked at the target; but fixes never
 * change a file reached through it, since the link may point at a file that belongs to someone else.
 */
final class SymlinkRule implements Rule {

    @Override
    public List<Finding> apply(Context c) {
        return c.tree().escapes().stream().map(e -> Finding.of("symlink-out-of-tree",
                e.writable() ? Severity.MEDIUM : Severity.LOW, e.link(), e.link() + " is a symlink to " + e.target()
                        + ", outside the checked paths: the service follows it, but unitguard never changes the"
                        + " target", List.of(),
                List.of("replace the link by the file itself, or add " + e.target()
                        + " to the requirements manifest"))).toList();
    }
}
