package dev.unitguard.sandbox;

/**
 * The kinds of mount entries of systemd 252's {@code src/core/namespace.c}, in its priority order: on the same
 * path the entry whose mode comes first wins.
 */
enum MountMode {
    INACCESSIBLE(true, true, true),
    BIND_MOUNT(false, false, true),
    BIND_MOUNT_RECURSIVE(false, false, true),
    PRIVATE_TMP(false, false, true),
    PRIVATE_TMP_READONLY(true, false, true),
    PRIVATE_DEV(false, false, true),
    BIND_DEV(false, false, false),
    EMPTY_DIR(false, false, true),
    SYSFS(false, true, false),
    PROCFS(false, true, false),
    READONLY(true, false, false),
    READWRITE(false, false, false),
    NOEXEC(false, true, false),
    EXEC(false, false, false),
    TMPFS(false, false, true),
    RUN(false, false, false),
    MQUEUEFS(false, false, false),
    READWRITE_IMPLICIT(false, false, false);

    private final boolean readOnly;
    private final boolean noexec;
    private final boolean replacesContent;

    MountMode(boolean readOnly, boolean noexec, boolean replacesContent) {
        this.readOnly = readOnly;
        this.noexec = noexec;
        this.replacesContent = replacesContent;
    }

    /** {@code mount_entry_read_only()}: the mode itself makes the mount read-only. */
    boolean readOnly() {
        return readOnly;
    }

    /** {@code mount_entry_noexec()}: the mode itself makes the mount noexec. */
    boolean noexec() {
        return noexec;
    }

    /** Whether the entry puts other content at its path than the host's file there. */
    boolean replacesContent() {
        return replacesContent;
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
