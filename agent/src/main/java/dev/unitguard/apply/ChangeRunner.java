package dev.unitguard.apply;

import dev.unitguard.probe.Sigsys;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.JournalEntry;
import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out one file change under the unit's lock: save the previous version, journal, atomic write, reload,
 * restart and verify; on failure put the previous version back, reload, restart; record history. The write-ahead
 * journal lets {@link Recovery} finish or undo a change the process died in.
 */
final class ChangeRunner {

    static final String FILE_MODE = "rw-r--r--";
    static final String DIRECTORY_MODE = "rwxr-xr-x";
    private static final Logger LOG = Logger.getLogger(ChangeRunner.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration JOURNAL_WAIT = Duration.ofSeconds(2);
    /** The newest journal entries of a failed run read at most. */
    private static final int JOURNAL_ENTRIES = 200;

    private final StateDirectory state;
    private final History history;
    private final SystemdPort systemd;
    private final Verifier verifier;
    private final Journal journal;
    private final Clock clock;
    private final StepHook hook;
    private final AtomicFiles files;
    private final Path root;

    ChangeRunner(StateDirectory state, History history, SystemdPort systemd, Verifier verifier, Journal journal,
                 Clock clock, StepHook hook, Path unitDirectory, Path root) {
        this.root = root;
        this.state = state;
        this.history = history;
        this.systemd = systemd;
        this.verifier = verifier;
        this.journal = journal;
        this.clock = clock;
        this.hook = hook;
        this.files = new AtomicFiles(unitDirectory, DIRECTORY_MODE, hook);
    }

    /**
     * The content of a file below the unit directory, read without following links; empty when there is none.
     *
     * @throws dev.unitguard.host.UnsafePathException when the file or its {@code UNIT.d} is a symlink, or is not
     *                                                a regular file or directory
     */
    Optional<String> read(Path file) throws IOException {
        return files.read(file);
    }

    /**
     * Carries out {@code change} for {@code caller}: history records its principal, and a failure's journal lines
     * are the ones its scope may see ({@link #visible}).
     */
    ApplyResult run(Change change, Caller caller) throws IOException, SystemdPort.SystemdFailure {
        String principal = caller.principal();
        Optional<String> before = files.read(change.target());
        if (before.equals(change.after())) {
            return new ApplyResult.Unchanged(change.unit(), change.target().toString());
        }
        boolean restart = change.restart() && systemd.state(change.unit()).isRunning();
        String id = newId();
        String saved = null;
        if (before.isPresent()) {
            Path savedFile = state.saved(change.unit(), id);
            state.writeText(savedFile, before.get());
            saved = savedFile.toString();
        }
        hook.reached(Step.SAVED_PREVIOUS);
        PendingChange pending = new PendingChange(id, change.unit(), change.operation(), change.target().toString(),
                before.orElse(null), change.after().orElse(null), saved, restart, PendingChange.Phase.PREPARED,
                principal, clock.instant());
        state.writeJson(state.journal(change.unit()), pending);
        hook.reached(Step.JOURNAL_PREPARED);
        try {
            files.replace(change.target(), change.after(), FILE_MODE);
        } catch (IOException e) {
            forget(pending, true);
            throw e;
        }
        pending = pending.at(PendingChange.Phase.WRITTEN);
        state.writeJson(state.journal(change.unit()), pending);
        hook.reached(Step.JOURNAL_WRITTEN);
        Instant since = clock.instant();
        Optional<Failure> failure = activate(change, restart);
        if (failure.isEmpty()) {
            return finish(pending.at(PendingChange.Phase.VERIFIED));
        }
        return rollBack(pending, failure.get(), since, change.timeout(), caller.scope());
    }

    private Optional<Failure> activate(Change change, boolean restart) {
        try {
            systemd.reload();
        } catch (SystemdPort.SystemdFailure e) {
            return Optional.of(Failure.of(FailedStep.RELOAD, e.getMessage()));
        }
        hook.reached(Step.RELOADED);
        return restart ? verifier.restartAndAwait(change.unit(), change.health(), change.timeout()) : Optional.empty();
    }

    private ApplyResult finish(PendingChange pending) throws IOException {
        state.writeJson(state.journal(pending.unit()), pending);
        hook.reached(Step.VERIFIED);
        HistoryEntry entry = record(pending, Outcome.APPLIED, pending.restart() ? "restarted" : "not restarted");
        hook.reached(Step.HISTORY_WRITTEN);
        forget(pending, true);
        String invocation = "";
        try {
            invocation = systemd.invocationId(pending.unit());
        } catch (SystemdPort.SystemdFailure e) {
            LOG.log(Level.WARNING, "applied " + pending.target() + " but cannot read " + pending.unit(), e);
        }
        return new ApplyResult.Applied(pending.unit(), pending.target(), entry.id(), pending.restart(), invocation);
    }

    private ApplyResult rollBack(PendingChange pending, Failure failure, Instant since, Duration timeout,
                                 Caller.Scope scope) throws IOException {
        Failure explained = failure.withJournal(visible(journalEntries(pending.unit(), since, failure), scope))
                .withSigsys(sigsys(failure, since));
        PendingChange rolling = pending.at(PendingChange.Phase.ROLLING_BACK);
        state.writeJson(state.journal(pending.unit()), rolling);
        hook.reached(Step.ROLLING_BACK);
        Optional<String> error = undo(rolling, true, timeout);
        if (error.isEmpty()) {
            HistoryEntry entry = record(pending, Outcome.ROLLED_BACK, explained.message());
            forget(pending, true);
            return new ApplyResult.RolledBack(pending.unit(), pending.target(), entry.id(), explained);
        }
        HistoryEntry entry = record(pending, Outcome.ROLLBACK_FAILED,
                explained.message() + "; rollback failed: " + error.get());
        forget(pending, false);
        List<String> savedFiles = pending.savedFile() == null ? List.of() : List.of(pending.savedFile());
        LOG.severe("ROLLBACK FAILED for " + pending.unit() + ": " + explained.message() + "; putting "
                + pending.target() + " back failed: " + error.get() + "; the previous version "
                + (savedFiles.isEmpty() ? "was no file" : "is saved in " + savedFiles.get(0)));
        return new ApplyResult.RollbackFailed(pending.unit(), pending.target(), entry.id(), explained, error.get(),
                savedFiles);
    }

    /**
     * Puts {@code before} back, reloads, and restarts when the change restarted (or may have restarted) the unit.
     * Empty when that worked, else what failed.
     */
    Optional<String> undo(PendingChange pending, boolean restart, Duration timeout) {
        Path target = Path.of(pending.target());
        try {
            if (!files.read(target).equals(pending.beforeContent())) {
                files.replace(target, pending.beforeContent(), FILE_MODE);
            }
        } catch (IOException e) {
            return Optional.of("cannot restore " + target + ": " + e);
        }
        try {
            systemd.reload();
        } catch (SystemdPort.SystemdFailure e) {
            return Optional.of("reload: " + e.getMessage());
        }
        if (!restart || !pending.restart()) {
            return Optional.empty();
        }
        return verifier.restartAndAwait(pending.unit(), Health.NONE, timeout).map(Failure::message);
    }

    HistoryEntry record(PendingChange pending, Outcome outcome, String detail) throws IOException {
        return history.append(pending.unit(), clock.instant(), pending.principal(), pending.operation(),
                pending.target(), pending.before(), pending.after(), outcome, detail, pending.id());
    }

    /** Removes the journal entry, and the saved previous version unless it must stay for the operator. */
    void forget(PendingChange pending, boolean removeSaved) throws IOException {
        state.delete(state.journal(pending.unit()));
        if (removeSaved && pending.savedFile() != null) {
            state.delete(Path.of(pending.savedFile()));
        }
    }

    /**
     * The one place that decides which journal lines a caller gets: systemd's own messages about the unit (exit
     * status, the 226 reason) for everyone, the service's output only for root. History keeps none of them.
     */
    static List<String> visible(List<JournalEntry> entries, Caller.Scope scope) {
        return entries.stream().filter(e -> e.bySystemd() || scope == Caller.Scope.ROOT).map(JournalEntry::message)
                .toList();
    }

    /**
     * For a main process killed by a signal: the kernel's last seccomp kill record since the restart, explained
     * ({@link Sigsys}); null when there is none (another signal, or no kernel messages in the journal).
     */
    private String sigsys(Failure failure, Instant since) {
        if (!failure.killed()) {
            return null;
        }
        try {
            SystemdVersion version = SystemdVersion.installedUnder(root).model();
            return Sigsys.explain(journal.seccompRecords(since), version, OptionalLong.empty(), Optional.empty())
                    .map(Sigsys::message).orElse(null);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the kernel's seccomp records", e);
            return null;
        }
    }

    private List<JournalEntry> journalEntries(String unit, Instant since, Failure failure) {
        if (failure.step() == FailedStep.RELOAD) {
            return List.of();
        }
        long deadline = System.nanoTime() + JOURNAL_WAIT.toNanos();
        String invocation = "";
        try {
            invocation = systemd.invocationId(unit);
        } catch (SystemdPort.SystemdFailure e) {
            LOG.log(Level.FINE, "cannot read the invocation ID of " + unit, e); // the unit's name still matches
        }
        List<JournalEntry> lines = new ArrayList<>();
        try {
            do {
                lines = journal.entries(unit, invocation, since, JOURNAL_ENTRIES);
                if (!lines.isEmpty() && (failure.exitStatus() == null || lines.stream().anyMatch(
                        l -> l.bySystemd() && l.message().contains("status=" + failure.exitStatus())))) {
                    return lines;
                }
                Thread.sleep(100);
            } while (System.nanoTime() - deadline < 0);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the journal of " + unit, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines;
    }

    private static String newId() {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return System.currentTimeMillis() + "-" + HexFormat.of().formatHex(random);
    }
}
