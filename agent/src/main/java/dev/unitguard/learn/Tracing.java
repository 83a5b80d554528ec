package dev.unitguard.learn;

import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import dev.unitguard.sandbox.RequirementsManifest.LearnedEntry;
import dev.unitguard.unit.CapabilitySet;
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
 * Mode {@code trace} of {@link Learner}: what may be traced ({@link #check}), the window ({@link #window}: the unit
 * restored at its end), and the manifest ({@link #result}): the trace read ({@link Tracer#read}) and mapped
 * ({@link TraceMapping}), merged with what the unit file names ({@link UnitNeeds}) and with the sockets observe's
 * sampler saw beside the tracer. The service is judged as root,
 * the user its start-up runs as; its capabilities and system calls are those the trace shows.
 */
final class Tracing {

    private static final Logger LOG = Logger.getLogger(Tracing.class.getName());

    private Tracing() {
    }

    /** Where the kernel's Yama module states who may attach with {@code ptrace} (absent: no Yama). */
    static final String PTRACE_SCOPE = "proc/sys/kernel/yama/ptrace_scope";

    /**
     * Refuses a unit trace mode cannot run: started as another user than root, a command strace cannot wrap, a kernel
     * whose Yama forbids every attach ({@code ptrace_scope} 3). Returns whether the drop-in must add
     * {@code CAP_SYS_PTRACE} to the unit's bounding set ({@link #grantsPtrace}).
     */
    static boolean check(EffectiveUnit unit, Path root) throws LearnException {
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
        int scope = ptraceScope(root);
        if (scope == 3) {
            throw new LearnException(LearnException.Reason.UNSUPPORTED, "mode trace needs ptrace, which this kernel "
                    + "forbids to every process (kernel.yama.ptrace_scope = 3, fixed until reboot): use observe");
        }
        return grantsPtrace(CapabilitySet.of(unit, "CapabilityBoundingSet", CapabilitySet.ALL));
    }

    /**
     * Whether the tracer lacks {@code CAP_SYS_PTRACE} under the unit's bounding set {@code boundingSet} (then the
     * drop-in adds it). strace needs it twice. To read a traced process' memory ({@code process_vm_readv}, the
     * kernel's ptrace access check) once the process changed its uid (memcached's {@code setuid(memcache)}) and so
     * is neither the tracer's uid nor dumpable: without it strace prints the addresses of every later path and socket
     * address instead of their text ({@code bind(22, 0x55be0138dcb0, 16)}), and the trace loses them (seen in the
     * lab with Debian's memcached unit, {@code CapabilityBoundingSet=CAP_SETGID CAP_SETUID CAP_SYS_RESOURCE}). And to
     * attach at all under Yama's {@code ptrace_scope} 2. {@code strace -D} attaches from a grandchild to the process
     * systemd started ({@code PTRACE_SEIZE}) after that process declared any tracer welcome
     * ({@code prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY)}, seen in a trace of strace 6.1), which scopes 0 and 1 accept;
     * 3 is refused by {@link #check}.
     */
    static boolean grantsPtrace(long boundingSet) {
        return (boundingSet & CapabilitySet.bit("CAP_SYS_PTRACE")) == 0;
    }

    /** Yama's {@code ptrace_scope} under {@code root}: 0 without Yama, -1 when unreadable. */
    static int ptraceScope(Path root) {
        Path file = root.resolve(PTRACE_SCOPE);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            int scope = Integer.parseInt(Files.readString(file).strip());
            return scope >= 0 && scope <= 3 ? scope : -1;
        } catch (IOException | NumberFormatException e) {
            LOG.warning("cannot read " + file + ": " + e.getMessage());
            return -1;
        }
    }

    /** Waits out the window, then restores the unit (always, also when waiting fails). */
    static void window(Tracer tracer, EffectiveUnit unit, Path dir, Duration window) throws LearnException {
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
    }

    /**
     * The manifest of the trace in {@code dir}, with the sockets the sampler saw during the window ({@code sampled}:
     * observe's reading of the unit's listening and connected sockets in /proc/net, empty when it failed), so that a
     * trace never knows fewer sockets than observe would.
     */
    static Document result(EffectiveUnit unit, HostView host, Path dir, Duration window, Instant started,
                           Optional<Sampled> sampled) throws LearnException {
        try {
            return manifest(unit, host, dir, window, started, sampled);
        } catch (IOException e) {
            throw new LearnException(LearnException.Reason.FAILED, "cannot read the trace of " + unit.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** What the sampler that ran beside the tracer saw of the unit's sockets, and how many samples it took. */
    record Sampled(NetworkNeeds network, Integer samples) {
    }

    /** The manifest of the trace files in {@code dir} (one per command of {@link TraceDropIn#commands}). */
    static Document manifest(EffectiveUnit unit, HostView host, Path dir, Duration window, Instant started,
                             Optional<Sampled> sampled) throws IOException {
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
        sampled.ifPresent(s -> {
            s.network().listen().forEach(l -> needs.listen(l, "sampled: " + l.learned().orElse("seen")));
            s.network().connect().forEach(c -> needs.connect(c, "sampled: " + c.learned().orElse("seen")));
            s.network().families().forEach(needs::family);
        });
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
                doc.capabilities(), new LearnedEntry(LearnMode.TRACE.word(), window.toSeconds(),
                sampled.map(Sampled::samples).orElse(null),
                started.truncatedTo(ChronoUnit.SECONDS).toString(), new TreeMap<>(mapping.capabilities())));
    }
}
