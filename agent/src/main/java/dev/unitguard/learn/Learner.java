package dev.unitguard.learn;

import dev.unitguard.host.HostView;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import dev.unitguard.sandbox.RequirementsManifest.LearnedEntry;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.UnitProperties;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * Learns a unit's requirements manifest ({@code POST /v1/units/UNIT/learn}): in mode {@code observe}, starts the
 * sampler ({@link SamplerUnit}) for the window, then merges what it saw with what the unit file names
 * ({@link UnitNeeds}) into one manifest with a {@code learned} note per entry and a top-level {@code learned} object;
 * in mode {@code trace}, restarts the unit under strace for the window and maps the trace instead ({@link Tracing}),
 * with the sampler running beside the tracer for the sockets.
 * In two steps, so that a caller can answer "not running" or "busy" before it commits to an answer:
 * {@link #start} checks and starts the sampler, {@link Learning#result} waits for it. One learn per unit, at most
 * {@link #MAX_CONCURRENT} at once.
 */
public final class Learner {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    public static final Duration MAX_WINDOW = Duration.ofSeconds(3600);
    public static final int MAX_CONCURRENT = 2;
    /** Where the sampler's output lands: a directory of the agent's runtime directory, root's only. */
    public static final Path OUTPUT_DIR = Path.of("/run/unitguard/learn");
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a restart of mode trace (under the tracer, or back) may take. */
    public static final Duration TRACE_JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final Logger LOG = Logger.getLogger(Learner.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Semaphore SLOTS = new Semaphore(MAX_CONCURRENT);

    private final SystemdClient systemd;
    private final Path root;
    private final Path outputDir;
    private final SamplerUnit.Command command;
    private final Tracer tracer;

    /** The agent's learner: output under {@link #OUTPUT_DIR}, the sampler run with the agent's own JVM and jar. */
    public Learner(SystemdClient systemd, Path root) {
        this(systemd, root, OUTPUT_DIR, SamplerUnit.Command.current());
    }

    Learner(SystemdClient systemd, Path root, Path outputDir, SamplerUnit.Command command) {
        this.systemd = Objects.requireNonNull(systemd, "systemd");
        this.root = Objects.requireNonNull(root, "root");
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
        this.command = Objects.requireNonNull(command, "command");
        this.tracer = new Tracer(systemd, root.resolve("run/systemd/system"), TRACE_JOB_TIMEOUT);
    }

    /**
     * {@code seen} without its capabilities when they are every one the kernel knows (bits 0 to {@code lastCap}):
     * a process that runs as root with systemd's default bounding set holds them all, which says nothing of those it
     * uses, and stating them all would refuse every directive that drops one ({@code PrivateDevices=} drops
     * {@code CAP_MKNOD}). Unstated, they are not judged ({@code CapabilityBoundingSet=} is left out) and a trace
     * would be needed to learn them. Unchanged when {@code lastCap} is negative (unknown).
     */
    static Requirements unlessEveryCapability(Requirements seen, int lastCap) {
        if (lastCap < 0 || seen.capabilities().isEmpty()) {
            return seen;
        }
        long all = lastCap >= 63 ? -1L : (1L << (lastCap + 1)) - 1;
        if (!seen.capabilities().get().containsAll(dev.unitguard.unit.CapabilitySet.names(all))) {
            return seen;
        }
        return new Requirements(seen.user(), seen.group(), seen.paths(), seen.devices(), seen.network(),
                seen.syscalls(), java.util.Optional.empty());
    }

    /** The kernel's highest capability ({@code /proc/sys/kernel/cap_last_cap} under {@code root}); -1 if unknown. */
    private static int lastCapability(Path root) {
        try {
            return Integer.parseInt(Files.readString(root.resolve("proc/sys/kernel/cap_last_cap")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** A sampler that runs; {@link #result} waits for it and gives the manifest. */
    public final class Learning {
        private final EffectiveUnit unit;
        private final String sampler;
        private final Path output;
        /** The trace's directory in mode trace (the sampler then runs beside the tracer for its sockets); else null. */
        private final Path trace;
        private final Duration window;
        private final Instant started;

        private Learning(EffectiveUnit unit, String sampler, Path output, Path trace, Duration window,
                         Instant started) {
            this.unit = unit;
            this.sampler = sampler;
            this.output = output;
            this.trace = trace;
            this.window = window;
            this.started = started;
        }

        /** Waits for the sampler (or the trace), reads its output and merges it with the unit file's needs. */
        public Document result() throws LearnException {
            if (trace != null) {
                try {
                    Tracing.window(tracer, unit, trace, window);
                    return Tracing.result(unit, HostView.of(root), trace, window, started, sampled());
                } finally {
                    stopSampler();
                    release(unit.name());
                    Tracer.remove(trace);
                    removeOutput();
                }
            }
            try {
                awaitStopped();
                Document sampled = read();
                Needs needs = new Needs();
                UnitNeeds.add(unit, HostView.of(root), needs);
                Requirements seen = unlessEveryCapability(RequirementsManifest.requirements(sampled, sampler),
                        lastCapability(root));
                needs.addAll(seen);
                boolean switched = UnitNeeds.switchedUser(unit, seen, needs);
                Requirements merged = switched ? needs.requirements(java.util.Optional.empty(),
                        java.util.Optional.empty()) : needs.requirements(seen.user(), seen.group());
                Document doc = RequirementsManifest.document(merged);
                Integer samples = sampled.learned() == null ? null : sampled.learned().samples();
                return new Document(doc.user(), doc.group(), doc.paths(), doc.devices(), doc.network(),
                        doc.syscalls(), doc.capabilities(), new LearnedEntry(LearnMode.OBSERVE.word(),
                        window.toSeconds(), samples, started.truncatedTo(ChronoUnit.SECONDS).toString()));
            } catch (ManifestException e) {
                throw new LearnException(LearnException.Reason.FAILED, "the sampler's answer is not a manifest: "
                        + e.getMessage(), e);
            } finally {
                release(unit.name());
                removeOutput();
            }
        }

        /** The sockets the sampler saw beside the tracer; empty (logged) when it failed: the trace stands alone. */
        private java.util.Optional<Tracing.Sampled> sampled() {
            try {
                awaitStopped();
                Document sampled = read();
                return RequirementsManifest.requirements(sampled, sampler).network().map(n -> new Tracing.Sampled(n,
                        sampled.learned() == null ? null : sampled.learned().samples()));
            } catch (LearnException | ManifestException e) {
                LOG.warning("trace of " + unit.name() + ": no sockets sampled beside the tracer (" + e.getMessage()
                        + "); the manifest has the traced ones only");
                return java.util.Optional.empty();
            }
        }

        /** Stops the sampler if it still runs (a trace that failed before its end); best effort. */
        private void stopSampler() {
            try {
                var state = systemd.loadedUnit(sampler);
                if (state.isPresent() && !state.get().isStopped()) {
                    systemd.stop(sampler, Duration.ofSeconds(10));
                }
            } catch (SystemdException | RuntimeException e) {
                LOG.warning("cannot stop " + sampler + ": " + e.getMessage());
            }
        }

        private void removeOutput() {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                LOG.warning("cannot remove " + output + ": " + e.getMessage());
            }
        }

        private void awaitStopped() throws LearnException {
            Instant deadline = Instant.now().plus(window).plus(SamplerUnit.MARGIN).plus(Duration.ofSeconds(30));
            try {
                while (true) {
                    var state = systemd.loadedUnit(sampler);
                    if (state.isEmpty() || state.get().isStopped()) {
                        return;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        systemd.stop(sampler, Duration.ofSeconds(10));
                        throw new LearnException(LearnException.Reason.FAILED, sampler + " still "
                                + state.get().activeState() + " after " + window.plus(SamplerUnit.MARGIN).toSeconds()
                                + " s; stopped");
                    }
                    Thread.sleep(POLL.toMillis());
                }
            } catch (SystemdException e) {
                throw new LearnException(LearnException.Reason.FAILED, "lost track of " + sampler + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LearnException(LearnException.Reason.FAILED, "interrupted while " + sampler + " ran", e);
            }
        }

        private Document read() throws LearnException {
            String text;
            try {
                text = RequirementsManifest.text(output);
            } catch (ManifestException e) {
                throw new LearnException(LearnException.Reason.FAILED, sampler + " gave no answer ("
                        + e.getMessage() + "); see journalctl -u " + sampler, e);
            }
            if (text.isBlank()) {
                throw new LearnException(LearnException.Reason.FAILED, sampler + " failed without an answer; see "
                        + "journalctl -u " + sampler);
            }
            try {
                return Json.read(text, Document.class);
            } catch (JsonInputException e) {
                throw new LearnException(LearnException.Reason.FAILED, "the answer of " + sampler + " is not a "
                        + "manifest: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Checks that {@code unit} runs and starts the sampler for {@code window}; the caller must then call
     * {@link Learning#result} (which releases the unit's turn).
     */
    public Learning start(EffectiveUnit unit, Duration window, LearnMode mode) throws LearnException {
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window out of range 1-" + MAX_WINDOW.toSeconds() + " s: " + window);
        }
        String name = unit.name();
        if (!RUNNING.add(name)) {
            throw new LearnException(LearnException.Reason.BUSY, "a learn of " + name + " runs already");
        }
        if (!SLOTS.tryAcquire()) {
            RUNNING.remove(name);
            throw new LearnException(LearnException.Reason.BUSY, MAX_CONCURRENT + " learns run already; try again "
                    + "when one has finished");
        }
        try {
            boolean grantPtrace = mode == LearnMode.TRACE && Tracing.check(unit, root);
            UnitProperties state = systemd.unit(name);
            if (!state.activeState().equals("active") && !state.activeState().equals("reloading")) {
                throw new LearnException(LearnException.Reason.NOT_RUNNING, name + " is " + state.activeState()
                        + ": " + mode.word() + " learns from the running service; start it first");
            }
            String sampler = samplerName(name);
            Path output = outputFile(sampler);
            if (mode == LearnMode.TRACE) {
                Path dir = traceDirectory(sampler);
                Instant started = Instant.now();
                try {
                    tracer.start(unit, dir, grantPtrace);
                } catch (LearnException e) {
                    Tracer.remove(dir);
                    throw e;
                }
                try {
                    systemd.startTransient(SamplerUnit.of(sampler, name, window, output, command));
                } catch (SystemdException | RuntimeException e) {
                    LOG.warning("trace of " + name + ": cannot start " + sampler + " beside the tracer ("
                            + e.getMessage() + "); the manifest will have the traced sockets only");
                }
                return new Learning(unit, sampler, output, dir, window, started);
            }
            Instant started = Instant.now();
            systemd.startTransient(SamplerUnit.of(sampler, name, window, output, command));
            return new Learning(unit, sampler, output, null, window, started);
        } catch (LearnException e) {
            release(name);
            throw e;
        } catch (SystemdException | IOException | RuntimeException e) {
            release(name);
            throw new LearnException(LearnException.Reason.FAILED, "cannot start the sampler for " + name + ": "
                    + e.getMessage(), e);
        }
    }

    private static void release(String unit) {
        if (RUNNING.remove(unit)) {
            SLOTS.release();
        }
    }

    /** A fresh file name in the output directory, which is created root-only and must not be a link. */
    private Path outputFile(String sampler) throws IOException {
        if (Files.isSymbolicLink(outputDir)) {
            throw new IOException(outputDir + " is a symbolic link");
        }
        if (!Files.isDirectory(outputDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(outputDir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return outputDir.resolve(sampler.replaceFirst("\\.service$", ".json"));
    }

    /** The directory name for a trace's output beside {@code sampler}'s output file (same random part). */
    private Path traceDirectory(String sampler) throws IOException {
        Path file = outputFile(sampler);
        return file.resolveSibling(file.getFileName().toString().replaceFirst("^unitguard-learn-", "trace-")
                .replaceFirst("\\.json$", ""));
    }

    /** {@code unitguard-learn-NAME-RANDOM.service}, unique per run. */
    static String samplerName(String unitName) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        String base = unitName.replaceFirst("\\.service$", "").replaceAll("[^A-Za-z0-9_-]", "_");
        return "unitguard-learn-" + (base.length() > 100 ? base.substring(0, 100) : base) + "-"
                + HexFormat.of().formatHex(random) + ".service";
    }
}
