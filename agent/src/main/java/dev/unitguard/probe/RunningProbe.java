package dev.unitguard.probe;

import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.JournalEntry;
import dev.unitguard.systemd.RunningTransient;
import dev.unitguard.systemd.ServiceProperties;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.TransientRun;
import dev.unitguard.systemd.TransientUnit;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * A probe under way ({@link Probe#start}): its transient service runs until {@link #result} (or {@link #close})
 * awaits it; then what it saw is read from its output file and the journal. {@link #close} releases the transient
 * unit, removes what the probe left and gives the unit's turn back: a caller may answer with the result first and
 * close afterwards, from another thread.
 */
public final class RunningProbe implements AutoCloseable {

    private static final Duration JOURNAL_POLL = Duration.ofMillis(50);

    private final Probe probe;
    private final EffectiveUnit unit;
    private final Requirements requirements;
    private final Probe.Sandbox sandbox;
    private final ProbeQueue.Turn turn;
    private final Instant started;
    private final RunningTransient running;
    private boolean closed;

    RunningProbe(Probe probe, EffectiveUnit unit, Requirements requirements, Probe.Sandbox sandbox,
                 ProbeQueue.Turn turn, Instant started, RunningTransient running) {
        this.probe = probe;
        this.unit = unit;
        this.requirements = requirements;
        this.sandbox = sandbox;
        this.turn = turn;
        this.started = started;
        this.running = running;
    }

    /** Waits for the probe's end and reads what it saw; once. */
    public ProbeResult result() throws ProbeException {
        TransientRun run;
        try {
            run = running.await();
        } catch (SystemdException e) {
            throw probe.failed(unit, running.name(), e);
        }
        return outcome(run);
    }

    /** Awaits the probe when {@link #result} did not, removes what it left and gives the unit's turn back. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                running.close();
            } finally {
                probe.release(turn, sandbox);
            }
        }
    }

    private ProbeResult outcome(TransientRun run) throws ProbeException {
        TransientUnit service = sandbox.service();
        ProbeScript script = sandbox.script();
        List<String> messages = messages(service.name(), run, sandbox.output());
        ProbeResult result = ProbeOutcome.of(service.name(), run, script, messages, sandbox.notSeen());
        if (result.startup().ok() && requirements.network().isPresent()) {
            ProbeNetwork.Judged network = ProbeNetwork.judge(unit, requirements.network().get(),
                    ProbeScript.reported(messages, ProbeNetwork.NAMESPACE),
                    ProbeScript.reported(messages, ProbeNetwork.DEVICES), ProbeNetwork.hostNamespace(probe.root));
            List<String> notSeen = new ArrayList<>(result.notSeen());
            notSeen.addAll(network.notSeen());
            result = new ProbeResult(result.unit(), result.startup(), result.requirements(), network.needs(), notSeen);
        }
        return result.startup().exitStatus() == 31 && !result.startup().code().equals("exited")
                ? ProbeOutcome.withSigsys(result, sigsys(run)) : result;
    }

    /** For a probe killed by SIGSYS: the kernel's seccomp record of its main process, explained; else empty. */
    private Optional<String> sigsys(TransientRun run) {
        long pid = run.unit().service().map(s -> s.execMainPid()).orElse(0L);
        try {
            return Sigsys.explain(probe.journal.seccompRecords(started), unit.systemd(),
                    pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(), Optional.empty()).map(Sigsys::message);
        } catch (IOException e) {
            return Optional.empty(); // the journal's own lines still say status=31/SYS
        }
    }

    /**
     * The script's lines and systemd's about the probe since it started. With an {@code output} file: its lines,
     * and when the script did not exit 0 after its last line, systemd's from the journal once they hold the exit.
     * Without: the journal's, once it holds the end of the story (the script's last line, or systemd's exit line)
     * or after a wait.
     */
    private List<String> messages(String name, TransientRun run, Optional<ProbeOutput> output)
            throws ProbeException {
        boolean ran = run.unit().service().map(ServiceProperties::execMainStatus).orElse(-1) == 0;
        if (output.isEmpty()) {
            return journal(name, run.unit().invocationId(), ran ? ended() : exited());
        }
        List<String> printed;
        try {
            printed = output.get().read();
        } catch (IOException e) {
            throw new ProbeException("cannot read the output of " + name + ": " + e.getMessage(), e);
        }
        if (ran && ended().test(printed)) {
            return printed;
        }
        List<String> all = new ArrayList<>(printed);
        all.addAll(journal(name, run.unit().invocationId(), ran ? lines -> true : exited()));
        return all;
    }

    private static Predicate<List<String>> ended() {
        return lines -> lines.stream().anyMatch(l -> l.strip().equals(ProbeScript.END));
    }

    private static Predicate<List<String>> exited() {
        return lines -> lines.stream().anyMatch(l -> l.contains("Main process exited"));
    }

    /** The journal's lines of the probe since it started, once {@code complete} or after a wait. */
    private List<String> journal(String name, String invocation, Predicate<List<String>> complete)
            throws ProbeException {
        Instant deadline = Instant.now().plus(Probe.JOURNAL_WAIT);
        List<String> lines;
        try {
            while (true) {
                lines = probe.journal.entries(name, invocation, started, Journal.ALL).stream().map(JournalEntry::message)
                        .flatMap(String::lines).toList();
                if (complete.test(lines) || Instant.now().isAfter(deadline)) {
                    return lines;
                }
                Thread.sleep(JOURNAL_POLL.toMillis());
            }
        } catch (IOException e) {
            throw new ProbeException("cannot read the journal of " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while reading the journal of " + name, e);
        }
    }
}
