package dev.unitguard.sandbox;

import dev.unitguard.host.HostView;
import dev.unitguard.unit.SystemdVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a normalized mount list in order, as systemd's {@code apply_mounts()}: an entry whose path (or bind
 * source) is missing fails the set-up unless it is marked "ignore if missing" ({@code -}), in which case it is
 * skipped; a missing bind or tmpfs destination is created when its parent is on a writable file system.
 */
record Namespace(SandboxView view, Optional<MountEntry> failed) {

    static Namespace apply(List<MountEntry> entries, HostView host, SystemdVersion version) {
        List<MountEntry> applied = new ArrayList<>();
        for (MountEntry e : entries) {
            SandboxView before = new SandboxView(applied, host);
            Outcome outcome = check(e, before, host, version);
            if (outcome == Outcome.FAIL) {
                return new Namespace(new SandboxView(applied, host), Optional.of(e));
            }
            if (outcome == Outcome.APPLY) {
                applied.add(e);
            }
        }
        return new Namespace(new SandboxView(applied, host), Optional.empty());
    }

    private enum Outcome { APPLY, SKIP, FAIL }

    /**
     * systemd 252 fails the set-up (226, and the child cannot even log why) when an inaccessible mount covers
     * {@code /run/systemd}, as {@code InaccessiblePaths=/run} does, "-" or not; seen in the lab.
     * {@code TemporaryFileSystem=/run} and {@code InaccessiblePaths=/run/systemd/inaccessible} start.
     */
    static boolean hidesRunSystemd(MountEntry e) {
        return e.mode() == MountMode.INACCESSIBLE && MountTable.under("/run/systemd", e.path());
    }

    /** Up to 257 (not in 262: Conformance262IT), a mount hiding /run/systemd fails the set-up. */
    private static final SystemdVersion RUN_SYSTEMD_NOT_NEEDED_SINCE = SystemdVersion.V262;

    private static Outcome check(MountEntry e, SandboxView before, HostView host, SystemdVersion version) {
        if (hidesRunSystemd(e) && version.compareTo(RUN_SYSTEMD_NOT_NEEDED_SINCE) < 0) {
            return Outcome.FAIL;
        }
        if (e.mode().needsExistingPath()) {
            if (before.lookup(e.path()) instanceof SandboxView.Visible) {
                return Outcome.APPLY;
            }
            return e.ignore() ? Outcome.SKIP : Outcome.FAIL;
        }
        if (e.mode().isBind() && e.created() != null) {
            return Outcome.APPLY;
        }
        if (e.mode().isBind() && host.stat(e.source()).isEmpty()) {
            return e.ignore() ? Outcome.SKIP : Outcome.FAIL;
        }
        if (e.mode().isBind() || e.mode() == MountMode.TMPFS || e.mode() == MountMode.EMPTY_DIR) {
            if (before.lookup(e.path()) instanceof SandboxView.Visible || creatable(e.path(), before, host)) {
                return Outcome.APPLY;
            }
            return e.ignore() ? Outcome.SKIP : Outcome.FAIL;
        }
        return Outcome.APPLY;
    }

    /**
     * Whether systemd can create a missing mount point: its nearest existing ancestor is not on a read-only mount.
     * A host directory hidden by a tmpfs does not exist in the namespace: systemd creates it in the tmpfs
     * ({@code TemporaryFileSystem=/home} plus {@code BindPaths=/home/u/.ssh} starts, seen in the lab).
     */
    private static boolean creatable(String path, SandboxView before, HostView host) {
        String p = path;
        while (!p.equals("/")) {
            p = HostView.parent(p);
            SandboxView.Node node = before.lookup(p);
            if (node instanceof SandboxView.Visible v) {
                MountEntry content = before.deepest(p, true);
                boolean fresh = content != null && !content.mode().isBind() && content.mode() != MountMode.INACCESSIBLE;
                return v.info().isDirectory() && (fresh || !host.mountFlags(p).readOnly());
            }
            if (node instanceof SandboxView.Hidden h && h.by().mode() == MountMode.INACCESSIBLE) {
                return false;
            }
        }
        return true;
    }
}
