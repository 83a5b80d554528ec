package dev.unitguard.lab;

import java.util.List;

/** What a command run inside the lab did: its exit code and everything it printed. */
public record ExecResult(List<String> command, int exitCode, String stdout, String stderr) {

    public ExecResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** This result, or an {@link IllegalStateException} naming the command, its exit code and its stderr. */
    public ExecResult requireSuccess() {
        if (exitCode != 0) {
            throw new IllegalStateException(
                    "lab: " + String.join(" ", command) + " exited with " + exitCode + ": " + stderr.strip());
        }
        return this;
    }
}
