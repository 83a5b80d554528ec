package dev.unitguard.apply;

import dev.unitguard.check.CheckReport;
import dev.unitguard.host.HostViews;
import dev.unitguard.json.JsonPath;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Would the service still work with the candidate drop-in in place of unitguard's current one? The static check
 * ({@link CheckReport#sandbox}) and, when present, the dynamic probe ({@link DynamicCheck}); a refusal lists every
 * failure. A probe that cannot run does not refuse: its reason is logged.
 */
final class HardeningCheck {

    private static final Logger LOG = Logger.getLogger(HardeningCheck.class.getName());

    private final Path root;
    private final Optional<DynamicCheck> probe;

    HardeningCheck(Path root, Optional<DynamicCheck> probe) {
        this.root = root;
        this.probe = probe;
    }

    /** The unit as systemd loads it from the root, without unitguard's own drop-in. */
    EffectiveUnit load(String unit, Path ownDropIn) throws ApplyRequestException {
        EffectiveUnit loaded;
        try {
            loaded = UnitLoader.forRoot(root).load(unit).live();
        } catch (UnitFileException e) {
            throw new ApplyRequestException(e.isNotFound() ? ApplyRequestException.Kind.UNIT_NOT_FOUND
                    : ApplyRequestException.Kind.UNIT_NOT_LOADABLE, e.getMessage());
        }
        Path own = root.relativize(ownDropIn);
        EffectiveUnit.Builder without = EffectiveUnit.builder(loaded);
        loaded.fragmentPath().ifPresent(without::fragmentPath);
        loaded.dropInPaths().stream().filter(p -> !p.endsWith(own)).forEach(without::dropInPath);
        loaded.assignments().stream().filter(a -> !a.location().file().endsWith(own)).forEach(without::add);
        loaded.warnings().forEach(without::warning);
        return without.build();
    }

    /**
     * The scope rules, before anything is written: for the hardening scope the allow-list and its values
     * ({@link HardeningPolicy}), then, unless forced, the exposure rule ({@link ExposureRule}) with the drop-in at
     * its place among the unit's drop-ins.
     *
     * @throws ApplyRequestException SCOPE_FORBIDDEN (403) or PRIVILEGE_RAISING (422) naming the directives
     */
    void guard(Caller caller, EffectiveUnit base, String dropIn, Path dropInPath, Requirements needs, boolean force)
            throws ApplyRequestException {
        List<Assignment> candidate = candidate(dropIn, dropInPath, base.type());
        if (!caller.scope().isAdmin()) {
            HardeningPolicy.check(candidate, needs);
        }
        if (!force) {
            ExposureRule.check(base, inPlace(base, candidate, dropInPath), caller.scope());
        }
    }

    /**
     * {@code base} with the candidate as the drop-in file {@code own} would be read: after the unit file, before
     * the drop-ins whose names sort after its own (systemd reads drop-ins in file-name order).
     */
    static EffectiveUnit inPlace(EffectiveUnit base, List<Assignment> candidate, Path own) {
        String name = own.getFileName().toString();
        EffectiveUnit.Builder with = EffectiveUnit.builder(base);
        base.fragmentPath().ifPresent(with::fragmentPath);
        base.dropInPaths().forEach(with::dropInPath);
        with.dropInPath(own);
        boolean placed = false;
        for (Assignment a : base.assignments()) {
            Path file = a.location().file();
            boolean fragment = base.fragmentPath().map(file::equals).orElse(false);
            if (!placed && !fragment && file.getFileName() != null
                    && file.getFileName().toString().compareTo(name) > 0) {
                candidate.forEach(with::add);
                placed = true;
            }
            with.add(a);
        }
        if (!placed) {
            candidate.forEach(with::add);
        }
        base.warnings().forEach(with::warning);
        return with.build();
    }

    /**
     * The refusal, or empty when the checks pass. What refuses the request itself (a user or group the host does
     * not know, a unit that cannot be assessed) is found before the probe starts; then the probe runs in systemd
     * while the rest of the static check runs here. When the static check refuses, the probe's outcome is not
     * awaited for the answer (only for its clean-up) and the static reasons alone are given, as if it had not run.
     */
    Optional<ApplyResult.Refused> refusal(EffectiveUnit base, String dropIn, Path dropInPath, Requirements needs)
            throws ApplyRequestException {
        List<Assignment> candidate = candidate(dropIn, dropInPath, base.type());
        CheckReport.Prepared check;
        try {
            check = CheckReport.prepare(HostViews.current(root), base, candidate, needs);
        } catch (UnknownIdentity e) {
            throw unknown(e);
        }
        try (DynamicCheck.Pending probing = startProbe(base, candidate, needs).orElse(null)) {
            CheckReport report;
            try {
                report = check.sandbox();
            } catch (UnknownIdentity e) {
                throw unknown(e);
            }
            if (!report.ok()) {
                return Optional.of(staticRefusal(base, report));
            }
            if (probing == null) {
                return Optional.empty();
            }
            ProbeResult result;
            try {
                result = probing.result();
            } catch (ProbeException e) {
                return notRun(base, e);
            }
            List<String> failures = probeFailures(result);
            if (failures.isEmpty()) {
                return Optional.empty();
            }
            ProbeResult.Startup startup = result.startup();
            return Optional.of(new ApplyResult.Refused(base.name(), failures,
                    startup.ok() ? null : startup.exitStatus(), startup.ok() ? null : startup.exitStatusName(),
                    report));
        }
    }

    private static ApplyRequestException unknown(UnknownIdentity e) {
        return ApplyRequestException.invalidField(e.at(JsonPath.of("requires")), e.getMessage());
    }

    /** The started probe; empty without one, or when it could not start (logged: the static check decides). */
    private Optional<DynamicCheck.Pending> startProbe(EffectiveUnit base, List<Assignment> candidate,
                                                      Requirements needs) {
        if (probe.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(probe.get().start(base, candidate, needs));
        } catch (ProbeException e) {
            notRun(base, e);
            return Optional.empty();
        }
    }

    private static Optional<ApplyResult.Refused> notRun(EffectiveUnit base, ProbeException e) {
        LOG.warning(base.name() + ": the probe did not run, the static check alone decides: " + e.getMessage());
        return Optional.empty();
    }

    private static ApplyResult.Refused staticRefusal(EffectiveUnit base, CheckReport report) {
        List<String> reasons = new ArrayList<>();
        if (!report.startup().ok()) {
            reasons.add("start fails with status " + report.startup().exitStatus() + "/"
                    + report.startup().exitStatusName() + ": " + report.startup().reason());
        }
        for (RequirementVerdict r : report.requirements()) {
            if (!r.ok()) {
                reasons.add(r.path() + " (" + r.access() + "): denied by " + r.deniedBy() + ": " + r.reason());
            }
        }
        return new ApplyResult.Refused(base.name(), reasons, report.startup().exitStatus(),
                report.startup().exitStatusName(), report);
    }

    /** What the probe saw fail, each as {@code probe: ...}; empty when the service started and reached everything. */
    static List<String> probeFailures(ProbeResult result) {
        List<String> failures = new ArrayList<>();
        ProbeResult.Startup startup = result.startup();
        if (!startup.ok()) {
            failures.add("probe: the service would not start: status " + startup.exitStatus() + "/"
                    + startup.exitStatusName() + (startup.journal() == null ? "" : ": " + startup.journal()));
        }
        for (ProbeResult.Observation o : result.requirements()) {
            if (!o.ok()) {
                failures.add("probe: " + o.path() + " (" + o.access() + "): " + o.error());
            }
        }
        for (ProbeResult.Need n : result.needs()) {
            if (!n.ok()) {
                failures.add("probe: " + n.need() + ": " + n.seen());
            }
        }
        return failures;
    }

    private static List<Assignment> candidate(String dropIn, Path path, String type) throws ApplyRequestException {
        try {
            return UnitFile.parse(path, dropIn, type).assignments();
        } catch (UnitFileException e) {
            throw ApplyRequestException.invalidField(JsonPath.of("set"), e.getMessage());
        }
    }
}
