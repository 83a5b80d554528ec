package dev.unitguard.apply;

/**
 * What the engine reads of a unit: its states, the service's result and main exit status (226 for NAMESPACE), the
 * invocation id (changes with each start), the restart counter and the unit file state ({@code enabled}...). Read from
 * {@link dev.unitguard.systemd.UnitProperties}, whose strings are never null.
 */
public record UnitState(String loadState, String activeState, String subState, String result, int execMainCode,
                        int execMainStatus, String invocationId, long nRestarts, String unitFileState) {

    /** Active or reloading: a unit the engine restarts when asked to. */
    public boolean isRunning() {
        return activeState.equals("active") || activeState.equals("reloading");
    }

    public boolean isFailed() {
        return activeState.equals("failed");
    }

    /** {@code active (running)}, or {@code failed (Result: exit-code, status 226)}. */
    public String describe() {
        String text = activeState + " (" + subState + ")";
        if (!result.isEmpty() && !result.equals("success")) {
            text += ", result " + result + (execMainCode == 1 ? ", exit status " + execMainStatus : "");
        }
        return text;
    }
}
