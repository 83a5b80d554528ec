package dev.unitguard.learn;

import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import dev.unitguard.sandbox.RequirementsManifest.LearnedEntry;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Mode {@code trace} of {@link Learner}: what may be traced ({@link #check}), and the manifest of a trace window
 * ({@link #result}): the unit restored first, then the trace read ({@link Tracer#read}) and mapped
 * ({@link TraceMapping}), merged with what the unit file names ({@link UnitNeeds}). The service is judged as root,
 * the user its start-up runs as; its capabilities and system calls are those the trace shows.
 */
final class Tracing {

    private static final Logger LOG = Logger.getLogger(Tracing.class.getName());

    private Tracing() {
    }

    /** Refuses a unit trace mode cannot run: started as another user than root, a command strace cannot wrap. */
    static void check(EffectiveUnit unit, Path root) throws LearnException {
        boolean asRoot = unit.value("Service", "User").map(String::strip).filter(u -> !u.isEmpty())
                .map(u -> u.equals("root") || u.equals("0")).orElse(true)
                && !unit.value("Service", "DynamicUser").map(String::strip)
                .map(v -> v.equals("yes") || v.equals("true")).orElse(false);
        if (!asRoot) {
            throw new LearnException(LearnException.Reason.UNSUPPORTED, "mode trace runs only services that systemd "
                    + "starts as root (the tracer writes into a directory of root's); " + unit.name()
                    + " runs as User=" + unit.value("Service", "User").orElse("(dynamic)") + ": use observe");
        }
        if (!Files.isExecutable(root.resolve(TraceDropIn.STRACE.substring(1)))) {
            throw new LearnException(LearnException.Reason.UNSUPPORTED, "mode trace needs " + TraceDropIn.STRACE
                    + " (Debian's package strace); it is not installed");
        }
        try {
            if (TraceDropIn.commands(unit).isEmpty()) {
                throw new LearnException(LearnException.Reason.UNSUPPORTED, unit.name() + " has no ExecStart= to "
                        + "trace");
            }
        } catch (IllegalArgumentException e) {
            throw new LearnException(LearnException.Reason.UNSUPPORTED, unit.name() + ": " + e.getMessage());
        }
    }

    /**
     * Waits out the window, restores the unit (always), then reads the trace in {@code dir} and gives the manifest.
     */
    static Document result(Tracer tracer, EffectiveUnit unit, HostView host, Path dir, Duration window,
                           Instant started) throws LearnException {
        boolean cut;
        try {
            cut = tracer.await(dir, window);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tracer.restore(unit.name());
            throw new LearnException(LearnException.Reason.FAILED, "interrupted while " + unit.name() + " was traced;"
                    + " restored", e);
        } catch (RuntimeException e) {
            tracer.restore(unit.name());
            throw e;
        }
        tracer.restore(unit.name());
        if (cut) {
            LOG.warning("trace of " + unit.name() + " passed " + (Tracer.MAX_BYTES >> 20) + " MiB: window ended early");
        }
        try {
            return manifest(unit, host, dir, window, started);
        } catch (IOException e) {
            throw new LearnException(LearnException.Reason.FAILED, "cannot read the trace of " + unit.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The manifest of the trace files in {@code dir} (one per command of {@link TraceDropIn#commands}). */
    static Document manifest(EffectiveUnit unit, HostView host, Path dir, Duration window, Instant started)
            throws IOException {
        Needs needs = new Needs();
        UnitNeeds.add(unit, host, needs);
        String cwd = unit.value("Service", "WorkingDirectory").map(String::strip)
                .map(w -> w.startsWith("-") ? w.substring(1) : w).filter(w -> w.startsWith("/")).orElse("/");
        TraceMapping mapping = new TraceMapping(needs, host, 0, 0, cwd);
        for (TraceDropIn.Command c : TraceDropIn.commands(unit)) {
            StraceCall.Joiner joiner = new StraceCall.Joiner();
            Tracer.read(dir, List.of(c.output()), line -> joiner.accept(line)
                    .ifPresent(call -> mapping.add(call, c.privileged())));
        }
        mapping.finish();
        if (needs.dropped() + mapping.dropped() > 0) {
            LOG.warning("trace of " + unit.name() + ": " + (needs.dropped() + mapping.dropped())
                    + " entries beyond the bounds left out");
        }
        Requirements r = needs.requirements(Optional.of("root"), Optional.of("root"));
        Requirements traced = new Requirements(r.user(), r.group(), r.paths(), r.devices(), r.network(),
                Optional.of(new TreeSet<>(mapping.syscalls())), Optional.of(new TreeSet<>(
                mapping.capabilities().keySet())));
        Document doc = RequirementsManifest.document(traced);
        return new Document(doc.user(), doc.group(), doc.paths(), doc.devices(), doc.network(), doc.syscalls(),
                doc.capabilities(), new LearnedEntry(LearnMode.TRACE.word(), window.toSeconds(), null,
                started.truncatedTo(ChronoUnit.SECONDS).toString(), new TreeMap<>(mapping.capabilities())));
    }
}
