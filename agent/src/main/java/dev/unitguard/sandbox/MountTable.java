package dev.unitguard.sandbox;

import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds the mount list of a service from its settings with {@link MountRules}, then normalizes it as systemd's
 * {@code setup_namespace()} does: symlinks followed, sorted parents first (same path: stronger mode first),
 * duplicates merged, everything below an inaccessible path dropped, entries repeating their parent's mode dropped.
 */
final class MountTable {

    /** The origin of a fresh procfs mounted with {@code subset=pid}. */
    static final String PROC_SUBSET_PID = "ProcSubset=pid";

    private MountTable() {
    }

    /** The entries for a sandboxed command; {@code owner} owns the exec directories. */
    static List<MountEntry> build(ServiceSettings s, HostView host, int ownerUid, int ownerGid, boolean sandboxed) {
        List<MountEntry> out = new ArrayList<>();
        for (MountRules.PathList list : MountRules.PATH_LISTS) {
            if (sandboxed || list.mode() == MountMode.READWRITE) {
                for (String word : ServiceSettings.words(s.unit(), list.key())) {
                    pathEntry(list, word).ifPresent(out::add);
                }
            }
        }
        ExecDirectories.add(s, ownerUid, ownerGid, out);
        addBinds(s, "BindPaths", false, out);
        addBinds(s, "BindReadOnlyPaths", true, out);
        addTemporaryFileSystems(s, out);
        if (sandboxed) {
            addFixed(s, out);
        }
        if (!s.loadCredentials().isEmpty()) {
            out.add(new MountEntry("/run/credentials", MountMode.TMPFS, false, true, true, false, null,
                    "LoadCredential=", null, null, FileInfo.directory(0, 0, 0755)));
        } else {
            out.add(MountEntry.of("/run/credentials", MountMode.INACCESSIBLE, true, "credentials"));
        }
        return normalize(out, host);
    }

    private static Optional<MountEntry> pathEntry(MountRules.PathList list, String word) {
        boolean ignore = word.startsWith("-");
        String path = ignore ? word.substring(1) : word;
        path = path.startsWith("+") ? path.substring(1) : path;
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(MountEntry.of(clean(path), list.mode(), ignore, list.key() + "=" + clean(path)));
    }

    private static void addFixed(ServiceSettings s, List<MountEntry> out) {
        List<String> keys = new ArrayList<>();
        keys.add("ProtectSystem=" + s.protectSystem());
        keys.add("ProtectHome=" + s.protectHome());
        addIf(keys, s.privateTmp(), "PrivateTmp=yes");
        addIf(keys, s.privateDevices(), "PrivateDevices=yes");
        addIf(keys, s.protectKernelTunables(), "ProtectKernelTunables=yes");
        addIf(keys, s.protectKernelModules(), "ProtectKernelModules=yes");
        addIf(keys, s.protectKernelLogs(), "ProtectKernelLogs=yes");
        addIf(keys, s.protectControlGroups(), "ProtectControlGroups=yes");
        addIf(keys, s.protectHostname(), "ProtectHostname=yes");
        addIf(keys, s.privateIpc(), "PrivateIPC=yes");
        addIf(keys, s.mountApiVfs() || s.protectKernelTunables() || s.protectControlGroups()
                || !s.protectProc().equals("default") || !s.procSubset().equals("all"), "MountAPIVFS=yes");
        for (String key : keys) {
            for (MountRules.Fixed f : MountRules.fixed(key, s.unit().systemd())) {
                FileInfo dir = f.dirMode() < 0 ? null : FileInfo.directory(0, 0, f.dirMode());
                String source = f.mode() == MountMode.PRIVATE_TMP ? f.path() : null;
                // the fresh procfs carries the subset option: name it, so the view can tell what it leaves out
                String origin = f.mode() == MountMode.PROCFS && s.procSubset().equals("pid") ? PROC_SUBSET_PID : key;
                out.add(new MountEntry(f.path(), f.mode(), f.ignore(), f.readOnly(),
                        f.mode() == MountMode.PRIVATE_DEV, false, source, origin, null, null, dir));
            }
        }
    }

    private static void addIf(List<String> keys, boolean condition, String key) {
        if (condition) {
            keys.add(key);
        }
    }

    private static void addBinds(ServiceSettings s, String key, boolean readOnly, List<MountEntry> out) {
        for (String word : ServiceSettings.words(s.unit(), key)) {
            boolean ignore = word.startsWith("-");
            String[] parts = (ignore ? word.substring(1) : word).split("(?<!\\\\):", 3);
            String source = parts[0];
            String dest = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : source;
            boolean recursive = !(parts.length > 2 && parts[2].equals("norbind"));
            if (!source.startsWith("/") || !dest.startsWith("/")) {
                continue;
            }
            out.add(new MountEntry(clean(dest), recursive ? MountMode.BIND_MOUNT_RECURSIVE : MountMode.BIND_MOUNT,
                    ignore, readOnly, false, false, clean(source), key + "=" + word, null, null, null));
        }
    }

    private static void addTemporaryFileSystems(ServiceSettings s, List<MountEntry> out) {
        for (String word : ServiceSettings.words(s.unit(), "TemporaryFileSystem")) {
            int colon = word.indexOf(':');
            String path = colon < 0 ? word : word.substring(0, colon);
            List<String> options = colon < 0 ? List.of() : List.of(word.substring(colon + 1).split(","));
            if (!path.startsWith("/")) {
                continue;
            }
            int mode = 0755;
            for (String o : options) {
                if (o.startsWith("mode=") && o.substring(5).matches("[0-7]{1,4}")) {
                    mode = Integer.parseInt(o.substring(5), 8);
                }
            }
            boolean ro = options.lastIndexOf("ro") > options.lastIndexOf("rw");
            boolean noexec = options.lastIndexOf("noexec") > options.lastIndexOf("exec");
            out.add(new MountEntry(clean(path), MountMode.TMPFS, false, ro, noexec, false, null,
                    "TemporaryFileSystem=" + word, null, null, FileInfo.directory(0, 0, mode)));
        }
    }

    /** systemd's {@code drop_unused_mounts()} after following symlinks. */
    static List<MountEntry> normalize(List<MountEntry> entries, HostView host) {
        List<MountEntry> list = new ArrayList<>();
        for (MountEntry e : entries) {
            list.add(e.withPath(host.resolve(e.path())));
        }
        list.sort(Comparator.comparing(MountEntry::path, MountTable::comparePaths)
                .thenComparing(MountEntry::mode));
        return dropNop(dropInaccessible(dropDuplicates(list)));
    }

    private static List<MountEntry> dropDuplicates(List<MountEntry> sorted) {
        List<MountEntry> out = new ArrayList<>();
        for (MountEntry e : sorted) {
            int last = out.size() - 1;
            if (last >= 0 && out.get(last).path().equals(e.path())) {
                out.set(last, out.get(last).absorb(e));
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static List<MountEntry> dropInaccessible(List<MountEntry> sorted) {
        List<MountEntry> out = new ArrayList<>();
        String clear = null;
        for (MountEntry e : sorted) {
            if (clear != null && under(e.path(), clear)) {
                continue;
            }
            clear = e.mode() == MountMode.INACCESSIBLE ? e.path() : null;
            out.add(e);
        }
        return out;
    }

    private static List<MountEntry> dropNop(List<MountEntry> sorted) {
        List<MountEntry> out = new ArrayList<>();
        for (MountEntry e : sorted) {
            if (List.of(MountMode.READONLY, MountMode.READWRITE, MountMode.READWRITE_IMPLICIT).contains(e.mode())) {
                MountEntry parent = null;
                for (int i = out.size() - 1; i >= 0 && parent == null; i--) {
                    parent = under(e.path(), out.get(i).path()) ? out.get(i) : null;
                }
                if (parent != null && parent.mode() == e.mode()) {
                    continue;
                }
            }
            out.add(e);
        }
        return out;
    }

    /** {@code path_startswith()}: whether {@code path} is {@code prefix} or below it. */
    static boolean under(String path, String prefix) {
        return prefix.equals("/") || path.startsWith(prefix)
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /**
     * {@code path_compare()}: component by component, a parent before its children. Walks both strings in place
     * (the sort of every check's mount list calls it a few hundred times).
     */
    static int comparePaths(String a, String b) {
        int i = 0;
        int j = 0;
        while (true) {
            i = skipSlashes(a, i);
            j = skipSlashes(b, j);
            boolean endA = i == a.length();
            boolean endB = j == b.length();
            if (endA || endB) {
                return endA == endB ? 0 : endA ? -1 : 1;
            }
            int endOfA = nextSlash(a, i);
            int endOfB = nextSlash(b, j);
            int n = Math.min(endOfA - i, endOfB - j);
            for (int k = 0; k < n; k++) {
                int c = Character.compare(a.charAt(i + k), b.charAt(j + k));
                if (c != 0) {
                    return c;
                }
            }
            if (endOfA - i != endOfB - j) {
                return endOfA - i - (endOfB - j);
            }
            i = endOfA;
            j = endOfB;
        }
    }

    private static int skipSlashes(String s, int i) {
        while (i < s.length() && s.charAt(i) == '/') {
            i++;
        }
        return i;
    }

    private static int nextSlash(String s, int i) {
        while (i < s.length() && s.charAt(i) != '/') {
            i++;
        }
        return i;
    }

    static String clean(String path) {
        String joined = HostView.join(List.of(Dac.components(path)));
        return joined;
    }

}
