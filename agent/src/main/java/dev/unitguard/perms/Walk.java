package dev.unitguard.perms;

import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A bounded walk below a directory that never follows symlinks: the entries as lstat sees them. */
final class Walk {

    static final int MAX_DEPTH = 4;
    static final int MAX_ENTRIES = 2000;

    record Entry(String path, FileInfo info) {
    }

    private Walk() {
    }

    /** The entries below {@code dir} (not {@code dir} itself), parents before children, at most MAX_ENTRIES. */
    static List<Entry> below(HostView host, String dir) {
        List<Entry> out = new ArrayList<>();
        walk(host, dir, 1, out);
        return out;
    }

    private static void walk(HostView host, String dir, int depth, List<Entry> out) {
        for (String name : host.list(dir)) {
            if (out.size() >= MAX_ENTRIES) {
                return;
            }
            String path = HostView.child(dir, name);
            Optional<FileInfo> info = host.lstat(path);
            if (info.isEmpty()) {
                continue;
            }
            out.add(new Entry(path, info.get()));
            if (info.get().isDirectory() && depth < MAX_DEPTH) {
                walk(host, path, depth + 1, out);
            }
        }
    }
}
