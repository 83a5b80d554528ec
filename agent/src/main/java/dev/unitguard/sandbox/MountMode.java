package dev.unitguard.sandbox;

/**
 * The kinds of mount entries of systemd 252's {@code src/core/namespace.c}, in its priority order: on the same
 * path the entry whose mode comes first wins. What a mode implies is said as {@code namespace.c} says it, by the
 * modes it holds for ({@code IN_SET(p->mode, ...)}).
 */
enum MountMode {
    INACCESSIBLE,
    BIND_MOUNT,
    BIND_MOUNT_RECURSIVE,
    PRIVATE_TMP,
    PRIVATE_TMP_READONLY,
    PRIVATE_DEV,
    BIND_DEV,
    EMPTY_DIR,
    SYSFS,
    PROCFS,
    READONLY,
    READWRITE,
    NOEXEC,
    EXEC,
    TMPFS,
    RUN,
    MQUEUEFS,
    READWRITE_IMPLICIT;

    /** {@code mount_entry_read_only()}: the mode itself makes the mount read-only. */
    boolean readOnly() {
        return this == READONLY || this == INACCESSIBLE || this == PRIVATE_TMP_READONLY;
    }

    /** {@code mount_entry_noexec()}: the mode itself makes the mount noexec. */
    boolean noexec() {
        return this == NOEXEC || this == INACCESSIBLE || this == SYSFS || this == PROCFS;
    }

    /** Whether the entry puts other content at its path than the host's file there. */
    boolean replacesContent() {
        return this == INACCESSIBLE || isBind() || this == PRIVATE_TMP || this == PRIVATE_TMP_READONLY
                || this == PRIVATE_DEV || this == EMPTY_DIR || this == TMPFS;
    }

    /** Entries that only re-mount the path onto itself and must find it existing. */
    boolean needsExistingPath() {
        return this == READONLY || this == READWRITE || this == READWRITE_IMPLICIT || this == EXEC
                || this == NOEXEC || this == INACCESSIBLE;
    }

    boolean isBind() {
        return this == BIND_MOUNT || this == BIND_MOUNT_RECURSIVE;
    }
}
