package dev.unitguard.perms;

import dev.unitguard.host.Access;
import dev.unitguard.host.FileInfo;
import dev.unitguard.sandbox.PathRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code foreign-owner}: a file owned by another non-root user inside a directory the service writes (a required
 * directory with write access, or the unit's StateDirectory=, CacheDirectory=, LogsDirectory=, RuntimeDirectory=).
 * That user can change data the service trusts, and the service can delete or replace that user's files. Not
 * checked for {@code DynamicUser=yes}, whose directories systemd chowns at every start.
 */
final class ForeignOwnerRule implements Rule {

    private static final Map<String, String> EXEC_DIRECTORIES = Map.of("StateDirectory", "/var/lib",
            "CacheDirectory", "/var/cache", "LogsDirectory", "/var/log", "RuntimeDirectory", "/run");

    @Override
    public List<Finding> apply(Context c) {
        if (c.identity().dynamicUser()) {
            return List.of();
        }
        Map<String, Finding> out = new LinkedHashMap<>();
        for (String dir : writtenDirectories(c)) {
            List<Walk.Entry> entries = new ArrayList<>();
            c.host().lstat(dir).ifPresent(i -> entries.add(new Walk.Entry(dir, i)));
            entries.addAll(Walk.below(c.host(), dir));
            for (Walk.Entry e : entries) {
                int uid = e.info().uid();
                if (uid == 0 || uid == c.credentials().uid() || out.containsKey(e.path())
                        || e.info().type() == FileInfo.Type.SYMLINK) {
                    continue;
                }
                String message = e.path() + " is owned by " + c.names().user(uid) + ", another non-root user, in "
                        + dir + " which " + c.user() + " writes: " + c.names().user(uid) + " can change data the"
                        + " service trusts, and the service can delete or replace " + c.names().user(uid)
                        + "'s files";
                Optional<Change> change = c.change(e.path(), e.info(), c.credentials().uid(), c.credentials().gid(),
                        e.info().mode());
                out.put(e.path(), Finding.of("foreign-owner", Severity.MEDIUM, e.path(), message,
                        change.stream().toList(), List.of()));
            }
        }
        return List.copyOf(out.values());
    }

    private static Set<String> writtenDirectories(Context c) {
        Set<String> dirs = new LinkedHashSet<>();
        for (PathRequirement r : c.requirements().paths()) {
            String canonical = c.host().resolve(r.path());
            if (r.access().contains(Access.W) && c.tree().fixable(canonical)
                    && c.host().lstat(canonical).map(FileInfo::isDirectory).orElse(false)) {
                dirs.add(canonical);
            }
        }
        for (Map.Entry<String, String> d : EXEC_DIRECTORIES.entrySet()) {
            for (String word : c.words(d.getKey())) {
                String dir = c.host().resolve(d.getValue() + "/" + word.split(":", 2)[0]);
                if (c.host().lstat(dir).map(FileInfo::isDirectory).orElse(false)) {
                    dirs.add(dir);
                }
            }
        }
        return dirs;
    }
}
