package dev.unitguard.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.SecurityAssessmentException;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.HostView;
import dev.unitguard.perms.Finding;
import dev.unitguard.perms.PermissionChecker;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.recommend.Suggestions;
import dev.unitguard.recommend.Suggestions.Suggestion;
import dev.unitguard.sandbox.Identities;
import dev.unitguard.sandbox.NeedVerdict;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer to "will these candidate directives still let my service work?", the same for the CLI's
 * {@code check --json}, the agent's check route and the apply engine's refusal, in the field order of the documented
 * JSON: the static verdict of the unit with the candidate layered on top as a drop-in, the directive changes that
 * would grant each denied need ({@code suggestions}, re-evaluated before offered; absent when none), its exposure
 * before and after,
 * the permission {@code findings} for the changed unit, the unit's warnings, then, when the probe ran, its part
 * ({@code probe}, {@code agree}).
 *
 * @param ok       the sandbox's answer (would the service start, reach its paths and keep its stated network, system
 *                 call and capability needs); with a probe, both answers
 * @param needs    the verdicts on the manifest's network, system call and capability needs; empty when it states none
 * @param suggestions for each denied path, up to three directive changes that grant it, each re-evaluated; absent
 *                 from the JSON when empty
 * @param findings null when permissions were not checked ({@link #sandbox}, the apply engine's check): then absent
 *                 from the JSON
 * @param probed   null when no probe ran: then absent from the JSON
 */
public record CheckReport(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                          List<NeedVerdict> needs,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Suggestion> suggestions, Exposure exposure,
                          @JsonInclude(JsonInclude.Include.NON_NULL) List<Finding> findings, List<String> warnings,
                          @JsonUnwrapped Probed probed) {

    public CheckReport {
        Objects.requireNonNull(unit, "unit");
        requirements = List.copyOf(requirements);
        needs = needs == null ? List.of() : List.copyOf(needs);
        suggestions = suggestions == null ? List.of() : List.copyOf(suggestions);
        findings = findings == null ? null : List.copyOf(findings);
        warnings = List.copyOf(warnings);
        // reading a report without the probe's part (a stored refusal), Jackson builds an empty one
        probed = probed == null || probed.probe() == null ? null : probed;
    }

    /** A report without needs and suggestions. */
    public CheckReport(String unit, boolean ok, StartupVerdict startup, List<RequirementVerdict> requirements,
                       Exposure exposure, List<Finding> findings, List<String> warnings, Probed probed) {
        this(unit, ok, startup, requirements, List.of(), List.of(), exposure, findings, warnings, probed);
    }

    /** Exposure scores as systemd-analyze security would print them, without and with the candidate. */
    public record Exposure(BigDecimal before, BigDecimal after) {
    }

    /**
     * The probe's part: what it saw, and whether it said the same as the static verdict ({@code agree}): the same
     * start-up outcome (and exit status) and, when both started, the same answer for every requirement and observed
     * network need.
     */
    public record Probed(ProbeResult probe, boolean agree) {
    }

    /**
     * Checks {@code unit} with {@code candidate} layered on top: the static verdict, the exposure before and after,
     * and the permission findings for the changed unit. Who the service runs as is resolved once for both.
     *
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public static CheckReport run(HostView host, EffectiveUnit unit, List<Assignment> candidate,
                                  Requirements requirements) throws UnknownIdentity {
        return prepare(host, unit, candidate, requirements).report();
    }

    /**
     * The static verdict and the exposure only, without permission findings: the apply engine's check.
     *
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public static CheckReport sandbox(HostView host, EffectiveUnit unit, List<Assignment> candidate,
                                      Requirements requirements) throws UnknownIdentity {
        return prepare(host, unit, candidate, requirements).sandbox();
    }

    /**
     * The part of a check that refuses the request instead of answering it, done first and cheaply: who the service
     * runs as (a user or group the host does not know) and the exposure before and after (a setting that would make
     * systemd refuse the unit). A caller that starts a probe beside the check prepares it before, so that a refused
     * check starts no probe.
     *
     * @throws UnknownIdentity             when the requirements name a user or group the host does not know
     * @throws SecurityAssessmentException when the unit, or the unit with the candidate, cannot be assessed
     */
    public static Prepared prepare(HostView live, EffectiveUnit unit, List<Assignment> candidate,
                                   Requirements requirements) throws UnknownIdentity {
        HostView host = live.snapshot(); // each path stat'ed once for the whole check
        EffectiveUnit changed = unit.withCandidate(candidate);
        Identities identities = Identities.resolve(changed, host, requirements);
        ExposureReport before = SecurityAssessor.assess(unit);
        ExposureReport after = SecurityAssessor.assess(changed);
        return new Prepared(host, unit, candidate, requirements, changed, identities, before, after);
    }

    /**
     * A check that passed {@link #prepare}: {@link #report} or {@link #sandbox} it. Their {@code UnknownIdentity} is
     * the suggestions' (which resolve the same identities again), not expected once prepared.
     */
    public record Prepared(HostView host, EffectiveUnit unit, List<Assignment> candidate, Requirements requirements,
                           EffectiveUnit changed, Identities identities, ExposureReport before,
                           ExposureReport after) {

        /** The whole check: the static verdict, the exposure and the permission findings ({@link #run}). */
        public CheckReport report() throws UnknownIdentity {
            return check(true);
        }

        /** The static verdict and the exposure, without permission findings ({@link CheckReport#sandbox}). */
        public CheckReport sandbox() throws UnknownIdentity {
            return check(false);
        }

        private CheckReport check(boolean permissions) throws UnknownIdentity {
            Verdict verdict = new StaticEvaluator(host).evaluate(changed, requirements, identities);
            Exposure exposure = new Exposure(before.exposure(), after.exposure());
            List<Finding> findings = permissions
                    ? new PermissionChecker(host).check(changed, requirements, identities.subject()).findings() : null;
            List<String> warnings = CandidateWarnings.prepend(host, unit, before, after, candidate,
                    changed.warnings().stream().map(Object::toString).toList());
            List<Suggestion> suggestions = Suggestions.of(host, changed, requirements, verdict);
            return new CheckReport(unit.name(), verdict.ok(), verdict.startup(), verdict.requirements(),
                    verdict.needs(), suggestions, exposure, findings, warnings, null);
        }
    }

    /**
     * This report for a candidate of which systemd would ignore some values: not ok, whatever the sandbox says,
     * with one warning per ignored value first ({@code systemd would ignore ProtectSystem=banana and run without
     * it (...)}); the rest of the report describes the service as systemd would run it, without those values.
     */
    public CheckReport withIgnoredValues(List<String> ignored) {
        if (ignored.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(ignored);
        all.addAll(warnings);
        return new CheckReport(unit, false, startup, requirements, needs, suggestions, exposure, findings, all,
                probed);
    }

    /** This report with the probe's part: ok only when both the static verdict and the probe say yes. */
    public CheckReport withProbe(ProbeResult probe) {
        return new CheckReport(unit, ok && probe.ok(), startup, requirements, needs, suggestions, exposure, findings,
                warnings, new Probed(probe, agree(probe)));
    }

    /**
     * Same start-up outcome (and exit status), and, when both started, the same answer for every requirement and
     * for every network need the probe observed.
     */
    boolean agree(ProbeResult probe) {
        if (startup.ok() != probe.startup().ok()) {
            return false;
        }
        if (!startup.ok()) {
            return startup.exitStatus() == null || startup.exitStatus() == probe.startup().exitStatus();
        }
        List<ProbeResult.Observation> seen = probe.requirements();
        if (seen.size() != requirements.size()) {
            return false;
        }
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).ok() != requirements.get(i).ok()) {
                return false;
            }
        }
        for (ProbeResult.Need n : probe.needs()) {
            if (needs.stream().anyMatch(v -> v.need().equals(n.need()) && v.ok() != n.ok())) {
                return false;
            }
        }
        return true;
    }
}
