package dev.unitguard.sandbox;

import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import java.util.List;
import java.util.Optional;

/**
 * The file system as the service sees it inside its mount namespace: the host's files overlaid with the mount
 * entries. The deepest entry covering a path decides its read-only and noexec flags (systemd re-mounts each entry
 * recursively but skips the other entries below it); the deepest entry replacing content decides what is there.
 */
final class SandboxView {

    /** What is at a path inside the namespace. */
    sealed interface Node permits Visible, Hidden, Absent {
    }

    /** A file the service sees; {@code by} is the entry that put it there, or null for the host's own file. */
    record Visible(FileInfo info, MountEntry by) implements Node {
        boolean inaccessible() {
            return by != null && by.mode() == MountMode.INACCESSIBLE;
        }
    }

    /** A host file the service cannot see: below an inaccessible path or under a tmpfs. */
    record Hidden(MountEntry by) implements Node {
    }

    record Absent() implements Node {
    }

    private final List<MountEntry> entries;
    private final HostView host;

    SandboxView(List<MountEntry> entries, HostView host) {
        this.entries = List.copyOf(entries);
        this.host = host;
    }

    List<MountEntry> entries() {
        return entries;
    }

    Optional<FileInfo> visible(String path) {
        return lookup(path) instanceof Visible v ? Optional.of(v.info()) : Optional.empty();
    }

    Node lookup(String path) {
        MountEntry content = deepest(path, true);
        if (content == null) {
            return host(path, path, null);
        }
        String rest = path.substring(content.path().equals("/") ? 0 : content.path().length());
        boolean at = rest.isEmpty() || rest.equals("/") && content.path().equals(path);
        switch (content.mode()) {
            case INACCESSIBLE:
                if (!at) {
                    return new Hidden(content);
                }
                FileInfo.Type type = host.lstat(path).map(FileInfo::type).orElse(FileInfo.Type.DIRECTORY);
                return new Visible(new FileInfo(type, 0, 0, 0), content);
            case BIND_MOUNT:
            case BIND_MOUNT_RECURSIVE:
                if (at && content.created() != null) {
                    return new Visible(content.created(), content);
                }
                return host(content.source() + (content.source().equals("/") ? rest.substring(1) : rest), path,
                        content);
            case PRIVATE_DEV:
                return privateDev(path, rest, content);
            default:
                if (at) {
                    return new Visible(content.created() == null ? FileInfo.directory(0, 0, 0755)
                            : content.created(), content);
                }
                if (entries.stream().anyMatch(e -> !e.path().equals(path) && MountTable.under(e.path(), path)
                        && MountTable.under(path, content.path()))) {
                    return new Visible(FileInfo.directory(0, 0, 0755), content);
                }
                return host.lstat(path).isPresent() ? new Hidden(content) : new Absent();
        }
    }

    private Node privateDev(String path, String rest, MountEntry content) {
        String[] parts = Dac.components(rest);
        if (parts.length == 0) {
            return new Visible(content.created() == null ? FileInfo.directory(0, 0, 0755) : content.created(), content);
        }
        if (parts.length == 1 && MountRules.PRIVATE_DEV_NODES.contains(parts[0])) {
            return new Visible(new FileInfo(FileInfo.Type.CHAR_DEVICE, 0, 0, 0666), content);
        }
        if (MountRules.PRIVATE_DEV_MOUNTS.contains(parts[0])) {
            Node node = host(path, path, content);
            return node instanceof Absent && parts.length == 1
                    ? new Visible(FileInfo.directory(0, 0, 01777), content) : node;
        }
        if (parts.length == 1 && MountRules.PRIVATE_DEV_LINKS.contains(parts[0])) {
            return new Visible(new FileInfo(FileInfo.Type.SYMLINK, 0, 0, 0777), content);
        }
        return host.lstat(path).isPresent() ? new Hidden(content) : new Absent();
    }

    private Node host(String hostPath, String path, MountEntry by) {
        Optional<FileInfo> info = host.stat(hostPath);
        return info.<Node>map(i -> new Visible(i, by)).orElseGet(Absent::new);
    }

    /**
     * The procfs entry that leaves {@code path} out: with {@code ProcSubset=pid} the kernel's {@code subset=pid}
     * shows only the process directories, {@code self} and {@code thread-self}; /proc/meminfo, /proc/sys and the
     * rest do not exist for any user (seen in the lab, root included). systemd's own entries below /proc are still
     * applied or skipped as before ({@code ProtectHostname=yes} with it starts, seen in the lab).
     */
    Optional<MountEntry> procSubsetHides(String path) {
        for (MountEntry e : entries) {
            if (e.mode() == MountMode.PROCFS && e.origin().equals(MountTable.PROC_SUBSET_PID)
                    && !path.equals(e.path()) && MountTable.under(path, e.path())) {
                String first = Dac.components(path.substring(e.path().length()))[0];
                if (!first.matches("[0-9]+|self|thread-self")) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /** The directive making the mount holding {@code path} read-only, or empty when it is writable. */
    Optional<String> readOnly(String path) {
        MountEntry d = deepest(path, false);
        if (d != null && d.readOnly()) {
            return Optional.of(d.roOrigin());
        }
        if (d != null && d.mode() == MountMode.PRIVATE_DEV && !inDevMount(path, d)) {
            return Optional.of(d.origin());
        }
        return hostPath(path).filter(p -> host.mountFlags(p).readOnly())
                .map(p -> "read-only mount " + host.mountPointOf(p));
    }

    /** The directive making the mount holding {@code path} noexec, or empty when programs may run from it. */
    Optional<String> noexec(String path) {
        MountEntry d = deepest(path, false);
        if (d != null && d.noexec()) {
            return Optional.of(d.noexecOrigin());
        }
        if (d != null && d.exec()) {
            return Optional.empty();
        }
        MountEntry content = deepest(path, true);
        if (content != null && content.mode() == MountMode.PRIVATE_DEV && !inDevMount(path, content)) {
            return Optional.of(content.origin());
        }
        if (content != null && (content.mode() == MountMode.EMPTY_DIR
                || content.mode() == MountMode.TMPFS && content.noexec())) {
            return Optional.of(content.noexecOrigin() == null ? content.origin() : content.noexecOrigin());
        }
        return hostPath(path).filter(p -> host.mountFlags(p).noexec()).map(p -> "noexec mount " + host.mountPointOf(p));
    }

    /** The host path whose mount a path inside the namespace lives on; empty for new file systems. */
    private Optional<String> hostPath(String path) {
        if (entries.stream().anyMatch(e -> e.mode() == MountMode.PROCFS && MountTable.under(path, e.path()))) {
            // a fresh procfs (MountAPIVFS=): the host's mounts below /proc, such as a container's read-only
            // /proc/sys, are not there (seen in the lab: /proc/sys/kernel/hostname opens for writing)
            return Optional.empty();
        }
        MountEntry content = deepest(path, true);
        if (content == null) {
            return Optional.of(path);
        }
        return switch (content.mode()) {
            case BIND_MOUNT, BIND_MOUNT_RECURSIVE, PRIVATE_TMP, PRIVATE_TMP_READONLY -> Optional.of(
                    content.source() + path.substring(content.path().equals("/") ? 0 : content.path().length()));
            case PRIVATE_DEV -> inDevMount(path, content) ? Optional.of(path) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean inDevMount(String path, MountEntry dev) {
        String[] parts = Dac.components(path.substring(dev.path().length()));
        return parts.length > 0 && MountRules.PRIVATE_DEV_MOUNTS.contains(parts[0]);
    }

    /** The deepest entry at or above {@code path}; only content-replacing ones when {@code content}. */
    MountEntry deepest(String path, boolean content) {
        MountEntry found = null;
        for (MountEntry e : entries) {
            if (MountTable.under(path, e.path()) && (!content || e.mode().replacesContent())
                    && (found == null || e.path().length() >= found.path().length())) {
                found = e;
            }
        }
        return found;
    }
}
