package dev.unitguard.apply;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Run once at start, before any request: every change left in the write-ahead journal is finished (it was verified:
 * only its history entry may be missing) or undone (the previous version put back, systemd reloaded, the unit
 * restarted if the change may have restarted it). Temporary files a crash left are removed.
 */
final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

    private final StateDirectory state;
    private final History history;
    private final ChangeRunner runner;
    private final UnitLocks locks;
    private final Path unitDirectory;
    private final Duration timeout;

    Recovery(StateDirectory state, History history, ChangeRunner runner, UnitLocks locks, Path unitDirectory,
             Duration timeout) {
        this.state = state;
        this.history = history;
        this.runner = runner;
        this.locks = locks;
        this.unitDirectory = unitDirectory;
        this.timeout = timeout;
    }

    List<Recovered> run() throws IOException {
        state.cleanTemporaries();
        cleanUnitDirectories();
        List<Recovered> recovered = new ArrayList<>();
        for (PendingChange pending : state.pending()) {
            try (UnitLocks.Held held = locks.acquire(pending.unit())) {
                Recovered r = recover(pending);
                LOG.warning("recovered an interrupted change of " + r.unit() + " (" + r.change() + ", "
                        + r.phase() + "): " + r.action());
                recovered.add(r);
            }
        }
        return recovered;
    }

    private Recovered recover(PendingChange pending) throws IOException {
        Path target = Path.of(pending.target());
        AtomicFiles.cleanTemporaries(target.getParent());
        String phase = pending.phase().name().toLowerCase(java.util.Locale.ROOT);
        boolean recorded = history.list(pending.unit()).stream().anyMatch(e -> pending.id().equals(e.change()));
        if (pending.phase() == PendingChange.Phase.VERIFIED) {
            if (!recorded) {
                runner.record(pending, Outcome.APPLIED, "finished by recovery");
            }
            runner.forget(pending, true);
            return new Recovered(pending.unit(), pending.id(), phase, "finished");
        }
        boolean restarted = pending.phase() != PendingChange.Phase.PREPARED;
        Optional<String> error = runner.undo(pending, restarted, timeout);
        if (error.isEmpty()) {
            if (!recorded) {
                runner.record(pending, Outcome.INTERRUPTED_UNDONE, "interrupted in phase " + phase
                        + ", undone by recovery");
            }
            runner.forget(pending, true);
            return new Recovered(pending.unit(), pending.id(), phase, "undone");
        }
        runner.record(pending, Outcome.ROLLBACK_FAILED, "interrupted in phase " + phase
                + "; undoing it failed: " + error.get());
        runner.forget(pending, false);
        LOG.severe("RECOVERY FAILED for " + pending.unit() + ": " + error.get() + "; previous version "
                + (pending.savedFile() == null ? "was no file" : "saved in " + pending.savedFile()));
        return new Recovered(pending.unit(), pending.id(), phase, "failed: " + error.get());
    }

    /** Temporary files of unitguard in /etc/systemd/system and its drop-in directories. */
    private void cleanUnitDirectories() throws IOException {
        if (!Files.isDirectory(unitDirectory)) {
            return;
        }
        AtomicFiles.cleanTemporaries(unitDirectory);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(unitDirectory, "*.d")) {
            for (Path dir : dirs) {
                AtomicFiles.cleanTemporaries(dir);
            }
        }
    }
}
