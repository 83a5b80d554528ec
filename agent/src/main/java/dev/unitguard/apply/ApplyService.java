package dev.unitguard.apply;

import dev.unitguard.host.HostBinds;
import dev.unitguard.host.UnsafePathException;
import dev.unitguard.systemd.Journal;
import dev.unitguard.unit.UnitName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The apply engine: the REST routes and the CLI call it, nothing else writes unit files or unitguard's drop-ins.
 * Every change to one unit runs under that unit's lock (in-process and a file lock); other units proceed in
 * parallel. Each change is atomic, journaled, verified after the restart, rolled back on failure, and recorded in the
 * unit's history; an idempotency key replays the first answer. Call {@link #recover()} once at start.
 * Methods block (files, D-Bus, waiting for the unit): call them from worker threads.
 */
public final class ApplyService {

    private final ApplySettings settings;
    private final SystemdPort systemd;
    private final Clock clock;
    private final ApplyMetrics metrics;
    private final UnitLocks locks;
    private final History history;
    private final IdempotencyStore idempotency;
    private final ChangeRunner runner;
    private final HardeningCheck check;
    private final UnitFiles unitFiles;
    private final Recovery recovery;

    private ApplyService(Builder b) {
        this.settings = b.settings;
        this.systemd = b.systemd;
        this.clock = b.clock;
        this.metrics = b.metrics;
        StateDirectory state = new StateDirectory(settings.stateDirectory());
        this.locks = new UnitLocks(state);
        this.history = new History(state, settings.retention());
        this.idempotency = new IdempotencyStore(state);
        Verifier verifier = new Verifier(systemd, b.health, settings.settle(), settings.poll(), b.hook);
        this.runner = new ChangeRunner(state, history, systemd, verifier, b.journal, clock, b.hook,
                settings.unitDirectory(), settings.root());
        this.check = new HardeningCheck(settings.root(), b.probe);
        this.unitFiles = new UnitFiles(settings, systemd, history, runner, b.verifier, clock);
        this.recovery = new Recovery(state, history, runner, locks, settings.unitDirectory(), b.recoveryTimeout);
    }

    public static Builder builder(SystemdPort systemd) {
        return new Builder(systemd);
    }

    public ApplySettings settings() {
        return settings;
    }

    /** Where unitguard's drop-in for {@code unit} lives. */
    public Path dropInPath(String unit) {
        return settings.unitDirectory().resolve(unit + ".d").resolve(settings.dropInName());
    }

    /**
     * Writes (or replaces) the unit's drop-in. The caller's scope is checked first ({@link HardeningCheck#guard}):
     * the hardening scope may set only the allow-list's directives and values and may not force; unless forced,
     * the exposure may not rise; then, unless forced, the checks that the service would still work.
     */
    public ApplyResult applyHardening(HardeningRequest request, Caller caller)
            throws ApplyRequestException, IOException, SystemdPort.SystemdFailure {
        String unit = validUnit(request.unit());
        if (request.force()) {
            requireAdmin(caller, "force");
        }
        return execute(unit, Operation.SET_HARDENING, request.toString(), caller, () -> {
            Path target = dropInPath(unit);
            String content = DropInText.render(request.set(), UnitName.parse(unit).type());
            if (runner.read(target).equals(Optional.of(content))) {
                return new ApplyResult.Unchanged(unit, target.toString());
            }
            var base = check.load(unit, target);
            check.guard(caller, base, content, target, request.requires(), request.force());
            if (!request.force()) {
                Optional<ApplyResult.Refused> refused = check.refusal(base, content, target, request.requires());
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            return runner.run(change(unit, Operation.SET_HARDENING, target, Optional.of(content),
                    request.activation()), caller);
        });
    }

    /** Removes the unit's drop-in (unchanged when there is none). */
    public ApplyResult removeHardening(String unit, Activation activation, Caller caller)
            throws ApplyRequestException, IOException, SystemdPort.SystemdFailure {
        String name = validUnit(unit);
        return execute(name, Operation.REMOVE_HARDENING, name + activation, caller, () -> runner.run(
                change(name, Operation.REMOVE_HARDENING, dropInPath(name), Optional.empty(), activation),
                caller));
    }

    /**
     * Puts a file back as a history entry left it ({@link RollbackRequest}). The hardening scope may roll back
     * unitguard's drop-in only, and only to content its own rules accept (a version root forced in is not).
     */
    public ApplyResult rollback(RollbackRequest request, Caller caller)
            throws ApplyRequestException, IOException, SystemdPort.SystemdFailure {
        String unit = validUnit(request.unit());
        return execute(unit, Operation.ROLLBACK, request.toString(), caller, () -> {
            Rollbacks.Target target = Rollbacks.target(unit, history.list(unit), request.to());
            if (!caller.scope().isAdmin()) {
                if (!target.path().equals(dropInPath(unit))) {
                    throw forbidden("rollback of " + target.path() + " (not unitguard's drop-in)");
                }
                if (target.content().isPresent()) {
                    check.guard(caller, check.load(unit, target.path()), target.content().get(), target.path(),
                            dev.unitguard.sandbox.Requirements.none(), false);
                }
            }
            return runner.run(change(unit, Operation.ROLLBACK, target.path(), target.content(),
                    request.activation()), caller);
        });
    }

    /** Installs, replaces ({@code content} present) or removes the unit file under /etc/systemd/system. */
    public ApplyResult unitFile(UnitFileRequest request, Caller caller)
            throws ApplyRequestException, IOException, SystemdPort.SystemdFailure {
        String unit = validUnit(request.unit());
        requireAdmin(caller, request.content().isPresent() ? "installing a unit file" : "removing a unit file");
        Operation operation = request.content().isPresent() ? Operation.INSTALL_UNIT_FILE
                : Operation.REMOVE_UNIT_FILE;
        return execute(unit, operation, request.toString(), caller, () -> unitFiles.change(unit, request,
                caller));
    }

    /** Enables ({@code enable}) or disables the unit file through systemd, then reloads. */
    public ApplyResult enablement(String unit, boolean enable, Caller caller)
            throws ApplyRequestException, IOException, SystemdPort.SystemdFailure {
        String name = validUnit(unit);
        requireAdmin(caller, enable ? "enabling a unit" : "disabling a unit");
        Operation operation = enable ? Operation.ENABLE : Operation.DISABLE;
        return execute(name, operation, name, caller, () -> unitFiles.enablement(name, enable, caller.principal()));
    }

    /** The unit's kept history, oldest first. */
    public List<HistoryEntry> history(String unit) throws ApplyRequestException, IOException {
        return history.list(validUnit(unit));
    }

    /** Finishes or undoes every change the journal holds (a crash mid-apply); call once at start. */
    public List<Recovered> recover() throws IOException {
        return recovery.run();
    }

    @FunctionalInterface
    private interface Body {
        ApplyResult run() throws ApplyRequestException, IOException, SystemdPort.SystemdFailure;
    }

    private ApplyResult execute(String unit, Operation operation, String request, Caller caller, Body body)
            throws ApplyRequestException, IOException, SystemdPort.SystemdFailure {
        long started = System.nanoTime();
        // the scope is part of the request: an answer is replayed only to callers who may see all of it
        String fingerprint = IdempotencyStore.sha256(operation + " " + unit + " " + request + " " + caller.scope());
        try (UnitLocks.Held held = locks.acquire(unit)) {
            Optional<String> key = caller.idempotencyKey();
            if (key.isPresent()) {
                Optional<ApplyResult> first = idempotency.replay(key.get(), fingerprint);
                if (first.isPresent()) {
                    return first.get();
                }
            }
            ApplyResult result;
            try {
                result = body.run();
            } catch (UnsafePathException e) {
                // a symlinked unit file or UNIT.d, or a file that is not one: nothing was read through it or changed
                result = new ApplyResult.Refused(unit, List.of(e.getMessage()), null, null, null);
            }
            if (key.isPresent()) {
                idempotency.store(key.get(), fingerprint, clock.instant(), result);
            }
            metrics.finished(unit, operation, result.outcome(), Duration.ofNanos(System.nanoTime() - started));
            metrics.generation(unit, history.generation(unit));
            return result;
        }
    }

    private static Change change(String unit, Operation operation, Path target, Optional<String> content,
                                 Activation activation) {
        return new Change(unit, operation, target, content, activation.restart(), activation.health(),
                activation.timeout());
    }

    /** Unit files, enablement and force belong to root and administrators, whatever route asked. */
    private static void requireAdmin(Caller caller, String what) throws ApplyRequestException {
        if (!caller.scope().isAdmin()) {
            throw forbidden(what);
        }
    }

    private static ApplyRequestException forbidden(String what) {
        java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
        members.put("scope", "hardening");
        members.put("requiredScope", "admin");
        return new ApplyRequestException(ApplyRequestException.Kind.SCOPE_FORBIDDEN, what + " needs the admin scope"
                + " (root or a member of unixSocket.adminGroups); the caller has the hardening scope", members);
    }

    static String validUnit(String unit) throws ApplyRequestException {
        if (unit == null || !UnitName.isValid(unit) || UnitName.parse(unit).isTemplate()) {
            throw new ApplyRequestException(ApplyRequestException.Kind.INVALID_FIELD,
                    "unit: not a valid unit name: \"" + unit + "\"");
        }
        return unit;
    }

    /** Wires the engine; everything but the systemd port has a default. */
    public static final class Builder {
        private final SystemdPort systemd;
        private ApplySettings settings = ApplySettings.defaults();
        private Journal journal = Journal.local();
        private HealthChecker health = HealthChecker.withoutSystemd();
        private Clock clock = Clock.systemUTC();
        private ApplyMetrics metrics = ApplyMetrics.NONE;
        private Optional<DynamicCheck> probe = Optional.empty();
        private UnitVerifier verifier = UnitVerifier.systemdAnalyze(Path.of("/usr/bin/systemd-analyze"))
                .throughBinds(HostBinds.fromEnvironment());
        private StepHook hook = StepHook.NONE;
        private Duration recoveryTimeout = Activation.DEFAULT_TIMEOUT;

        private Builder(SystemdPort systemd) {
            this.systemd = Objects.requireNonNull(systemd, "systemd");
        }

        public Builder settings(ApplySettings value) {
            this.settings = Objects.requireNonNull(value);
            return this;
        }

        public Builder journal(Journal value) {
            this.journal = Objects.requireNonNull(value);
            return this;
        }

        public Builder health(HealthChecker value) {
            this.health = Objects.requireNonNull(value);
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value);
            return this;
        }

        public Builder metrics(ApplyMetrics value) {
            this.metrics = Objects.requireNonNull(value);
            return this;
        }

        public Builder dynamicCheck(DynamicCheck value) {
            this.probe = Optional.of(value);
            return this;
        }

        public Builder unitVerifier(UnitVerifier value) {
            this.verifier = Objects.requireNonNull(value);
            return this;
        }

        public Builder stepHook(StepHook value) {
            this.hook = Objects.requireNonNull(value);
            return this;
        }

        public Builder recoveryTimeout(Duration value) {
            this.recoveryTimeout = Objects.requireNonNull(value);
            return this;
        }

        public ApplyService build() {
            return new ApplyService(this);
        }
    }
}
