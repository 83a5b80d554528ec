package dev.unitguard.perms;

import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.unit.ExecCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code world-writable-exec-path} and {@code world-writable-working-directory}: a file or directory any local user
 * may write, on the way to a program the service runs or in its working directory, lets any local user run code as
 * the service (as root when the service runs as root). A directory with the sticky bit only lets users replace
 * their own entries, so it is not reported.
 */
final class WorldWritableRule implements Rule {

    @Override
    public List<Finding> apply(Context c) {
        Map<String, Finding> out = new LinkedHashMap<>();
        for (Context.Exec e : c.commands()) {
            Optional<String> exe = c.executable(e.command());
            if (exe.isEmpty()) {
                continue;
            }
            boolean root = c.runsAsRoot() || e.command().has(ExecCommand.Prefix.FULL_PRIVILEGES);
            for (String path : ExecPaths.of(c.host(), exe.get())) {
                Optional<FileInfo> info = c.host().lstat(path);
                if (info.isPresent() && worldWritable(info.get()) && !out.containsKey(path)) {
                    String message = path + " is world-writable (mode " + c.state(info.get()).mode() + ") and on the"
                            + " path to " + e.setting() + ": any local user can change what the service runs"
                            + (root ? " as root" : " as " + c.user());
                    out.put(path, finding(c, "world-writable-exec-path", root ? Severity.CRITICAL : Severity.HIGH,
                            path, info.get(), message));
                }
            }
        }
        workingDirectory(c).ifPresent(dir -> workingDirectory(c, dir, out));
        return List.copyOf(out.values());
    }

    private static void workingDirectory(Context c, String dir, Map<String, Finding> out) {
        List<Walk.Entry> entries = new ArrayList<>();
        c.host().lstat(dir).ifPresent(i -> entries.add(new Walk.Entry(dir, i)));
        entries.addAll(Walk.below(c.host(), dir));
        Severity severity = c.runsAsRoot() ? Severity.CRITICAL : Severity.HIGH;
        for (Walk.Entry e : entries) {
            if (worldWritable(e.info()) && !out.containsKey(e.path())) {
                String message = e.path() + " is world-writable (mode " + c.state(e.info()).mode() + ") in the"
                        + " working directory " + dir + ": any local user can plant files the service reads or runs";
                out.put(e.path(), finding(c, "world-writable-working-directory", severity, e.path(), e.info(),
                        message));
            }
        }
    }

    static boolean worldWritable(FileInfo info) {
        boolean sticky = info.isDirectory() && (info.mode() & 01000) != 0;
        return (info.mode() & 0002) != 0 && !sticky && info.type() != FileInfo.Type.SYMLINK
                && (info.isDirectory() || info.type() == FileInfo.Type.REGULAR);
    }

    private static Finding finding(Context c, String id, Severity severity, String path, FileInfo info,
                                   String message) {
        Optional<Change> change = c.change(path, info, info.uid(), info.gid(), info.mode() & ~0002);
        return Finding.of(id, severity, path, message, change.stream().toList(), List.of());
    }

    /** {@code WorkingDirectory=} as an absolute canonical path ({@code ~} is the user's home), if set. */
    private static Optional<String> workingDirectory(Context c) {
        Optional<String> value = c.unit().value(Context.S, "WorkingDirectory");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String dir = value.get().startsWith("-") ? value.get().substring(1) : value.get();
        if (dir.equals("~")) {
            dir = c.identity().home();
        }
        return dir.startsWith("/") ? Optional.of(c.host().resolve(dir)) : Optional.empty();
    }

    /** The paths whose writers decide what an executable is. */
    static final class ExecPaths {

        private ExecPaths() {
        }

        /**
         * Every directory from {@code /} down to the executable and the executable itself, both along the path as
         * written (its directory's symlinks resolved) and along the canonical path of its final target.
         */
        static List<String> of(HostView host, String executable) {
            List<String> out = new ArrayList<>();
            addChain(out, host.resolve(HostView.parent(executable)));
            addChain(out, host.resolve(executable));
            return out;
        }

        private static void addChain(List<String> out, String path) {
            List<String> chain = new ArrayList<>();
            for (String p = path; ; p = HostView.parent(p)) {
                chain.add(0, p);
                if (p.equals("/")) {
                    break;
                }
            }
            chain.stream().filter(p -> !out.contains(p)).forEach(out::add);
        }
    }
}
