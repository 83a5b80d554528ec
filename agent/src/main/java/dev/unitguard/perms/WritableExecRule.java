package dev.unitguard.perms;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.unit.ExecCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code writable-executable}: a program the service runs (or a directory on the way to it) that the service's own
 * user may write, and required files with both write and execute access. A compromised service can then replace its
 * own code and keep it across restarts; for a {@code +} command, which runs as root, that is an escalation to root.
 * World-writable paths are left to {@link WorldWritableRule}; root services are not checked (root writes anything).
 */
final class WritableExecRule implements Rule {

    @Override
    public List<Finding> apply(Context c) {
        if (c.runsAsRoot()) {
            return List.of();
        }
        Map<String, Finding> out = new LinkedHashMap<>();
        for (Context.Exec e : c.commands()) {
            Optional<String> exe = c.executable(e.command());
            boolean root = e.command().has(ExecCommand.Prefix.FULL_PRIVILEGES);
            for (String path : exe.map(x -> WorldWritableRule.ExecPaths.of(c.host(), x)).orElse(List.of())) {
                Optional<FileInfo> info = c.host().lstat(path);
                if (info.isEmpty() || out.containsKey(path) || !writable(c, info.get())) {
                    continue;
                }
                String message = c.user() + " can write " + path + ", which is " + AccessRule.owned(c, info.get())
                        + ", on the path to " + e.setting() + ": a compromised service can replace code it runs"
                        + (root ? " with full privileges (the + prefix runs it as root)" : "");
                out.put(path, finding(c, root ? Severity.HIGH : Severity.MEDIUM, path, info.get(), message));
            }
        }
        for (PathRequirement r : c.requirements().paths()) {
            String canonical = c.host().resolve(r.path());
            Optional<FileInfo> info = c.host().lstat(canonical);
            if (r.access().containsAll(Set.of(Access.W, Access.X)) && info.isPresent() && !info.get().isDirectory()
                    && !out.containsKey(canonical)) {
                String message = c.user() + " needs both write and execute on " + r.path() + ": a compromised"
                        + " service can replace code it runs";
                out.put(canonical, Finding.of("writable-executable", Severity.MEDIUM, r.path(), message, List.of(),
                        List.of("keep code and data apart: the service writes data under StateDirectory= and runs"
                                + " code from a path it cannot write")));
            }
        }
        return List.copyOf(out.values());
    }

    private static boolean writable(Context c, FileInfo info) {
        boolean stickyDir = info.isDirectory() && (info.mode() & 01000) != 0;
        return !stickyDir && !WorldWritableRule.worldWritable(info) && info.type() != FileInfo.Type.SYMLINK
                && Dac.permits(c.credentials(), info, Set.of(Access.W));
    }

    private static Finding finding(Context c, Severity severity, String path, FileInfo info, String message) {
        boolean owner = info.uid() == c.credentials().uid();
        int uid = owner ? 0 : info.uid();
        int gid = owner ? 0 : info.gid();
        Optional<Change> change = c.change(path, info, uid, gid, info.mode() & ~0022);
        return Finding.of("writable-executable", severity, path, message, change.stream().toList(),
                List.of("ReadOnlyPaths=" + path + " in [Service] keeps it read-only inside the service's namespace"));
    }
}
