package dev.unitguard.sandbox;

import dev.unitguard.host.FileInfo;
import java.util.Objects;

/**
 * One entry of the namespace's mount list, as systemd's {@code MountEntry}: a path, a mode, "ignore if missing",
 * explicit read-only / noexec / exec flags, a source for binds, plus where it came from ({@code origin}, such as
 * {@code ProtectSystem=strict}) and which directive set its read-only and noexec flags.
 *
 * @param created for tmpfs roots and exec directories: the directory systemd makes there, else null
 */
record MountEntry(String path, MountMode mode, boolean ignore, boolean readOnlyFlag, boolean noexecFlag,
                  boolean execFlag, String source, String origin, String roOrigin, String noexecOrigin,
                  FileInfo created) {

    MountEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(origin, "origin");
        if (roOrigin == null && (readOnlyFlag || mode.readOnly())) {
            roOrigin = origin;
        }
        if (noexecOrigin == null && (noexecFlag || mode.noexec())) {
            noexecOrigin = origin;
        }
    }

    static MountEntry of(String path, MountMode mode, boolean ignore, String origin) {
        return new MountEntry(path, mode, ignore, false, false, false, null, origin, null, null, null);
    }

    boolean readOnly() {
        return readOnlyFlag || mode.readOnly();
    }

    boolean noexec() {
        return noexecFlag || mode.noexec();
    }

    boolean exec() {
        return execFlag || mode == MountMode.EXEC;
    }

    MountEntry withPath(String newPath) {
        return new MountEntry(newPath, mode, ignore, readOnlyFlag, noexecFlag, execFlag, source, origin, roOrigin,
                noexecOrigin, created);
    }

    MountEntry withFlags(boolean ro, boolean noexec, boolean exec) {
        return new MountEntry(path, mode, ignore, ro, noexec, exec, source, origin, roOrigin, noexecOrigin, created);
    }

    MountEntry withSource(String newSource) {
        return new MountEntry(path, mode, ignore, readOnlyFlag, noexecFlag, execFlag, newSource, origin, roOrigin,
                noexecOrigin, created);
    }

    MountEntry withCreated(FileInfo dir) {
        return new MountEntry(path, mode, ignore, readOnlyFlag, noexecFlag, execFlag, source, origin, roOrigin,
                noexecOrigin, dir);
    }

    /** The survivor of two entries on the same path: this one, with the other's read-only and noexec OR-ed in. */
    MountEntry absorb(MountEntry dropped) {
        boolean ro = readOnly() || dropped.readOnly();
        boolean nx = noexec() || dropped.noexec();
        return new MountEntry(path, mode, ignore, ro, nx, exec() || dropped.exec(), source, origin,
                readOnly() ? roOrigin : dropped.roOrigin, noexec() ? noexecOrigin : dropped.noexecOrigin, created);
    }

    @Override
    public String toString() {
        return path + " " + mode + (readOnly() ? " ro" : "") + (noexec() ? " noexec" : "") + " (" + origin + ")";
    }
}
