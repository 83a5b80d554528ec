package dev.unitguard.apply;

/**
 * The points between the steps of a change, in order. A {@link StepHook} sees each one; tests stop the engine there
 * (as SIGKILL would) and check that recovery finishes or undoes the change.
 */
public enum Step {
    /** The previous version is saved under the state directory. */
    SAVED_PREVIOUS,
    /** The write-ahead journal names the change; nothing on the target yet. */
    JOURNAL_PREPARED,
    /** The new content is in a temporary file beside the target, synced; the target is untouched. */
    TEMP_WRITTEN,
    /** The temporary file was renamed over the target (or the target removed) and the directory synced. */
    TARGET_REPLACED,
    /** The journal says the target is written. */
    JOURNAL_WRITTEN,
    /** systemd re-read its units. */
    RELOADED,
    /** The restart job finished. */
    RESTARTED,
    /** The unit is active and healthy; the journal says so. */
    VERIFIED,
    /** The history entry is written; only the journal remains to be removed. */
    HISTORY_WRITTEN,
    /** The journal says the change is being rolled back. */
    ROLLING_BACK
}
