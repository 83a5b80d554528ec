package dev.unitguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unitguard rollback}: asks the local agent to undo the newest change of a unit, or to put back what history
 * entry {@code --to} left ({@code POST /v1/units/UNIT/rollback}). Exit codes as for apply.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = "Rolls a unit back to its previous version, or to a history entry, through the local agent.")
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    UnitChange change;

    @Option(names = "--to", paramLabel = "ID", description = "The history entry to go back to.")
    Long to;

    /** The body of {@code POST /rollback}; {@code to} null: the newest change. */
    record RollbackBody(Long to, boolean restart, int timeoutSeconds) {
    }

    @Override
    public Integer call() {
        return change.send("POST", "rollback", new RollbackBody(to, change.restart, change.timeout));
    }
}
