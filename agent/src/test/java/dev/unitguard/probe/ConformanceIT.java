package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.host.HostView;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import dev.unitguard.sandbox.StaticEvaluator;
import dev.unitguard.sandbox.Verdict;
import dev.unitguard.systemd.SystemdClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real systemd is the judge of the static model: generated cases of directive combinations, each evaluated by
 * {@link StaticEvaluator} over the lab's own files and mounts and run as a real probe in the same lab. The start-up
 * (ok or exit status) and every requirement must come out the same. Seed and count:
 * {@code -Dunitguard.conformance.seed=N -Dunitguard.conformance.cases=N}.
 */
@LabTest
class ConformanceIT {

    private static final long SEED = Long.getLong("unitguard.conformance.seed", 20261121L);
    private static final int CASES = Integer.getInteger("unitguard.conformance.cases", 520);

    @Test
    void staticEvaluator_generatedCases_agreesWithRealSystemd(Lab lab) throws Exception {
        ConformanceTree.create(lab);
        HostView host = HostView.withMountInfo(lab.root(), Path.of("/proc/" + lab.pid() + "/mountinfo"));
        StaticEvaluator evaluator = new StaticEvaluator(host);
        List<String> disagreements = new ArrayList<>();
        int requirementsCompared = 0;
        int requirementsAgreed = 0;
        int casesAgreed = 0;
        int started = 0;
        try (SystemdClient client = SystemdClient.forAddress(lab.systemBusAddress(), Duration.ofSeconds(10),
                Duration.ofSeconds(30))) {
            Probe probe = new Probe(client, LabJournal.of(lab), lab.root(), Duration.ofSeconds(20));
            for (int id = 0; id < CASES; id++) {
                ConformanceCase c = ConformanceCase.generate(id, SEED * 1_000_003L + id);
                Verdict expected = evaluator.evaluate(c.unit(lab.version()), c.requirements());
                ProbeResult real = probe.run(c.unit(lab.version()), c.requirements());
                List<String> diff = compare(expected, real);
                if (real.startup().ok()) {
                    started++;
                    requirementsCompared += expected.requirements().size();
                    requirementsAgreed += expected.requirements().size() - diff.size();
                }
                if (diff.isEmpty()) {
                    casesAgreed++;
                } else {
                    disagreements.add(c + "\n" + String.join("\n", diff));
                }
            }
        }
        System.out.println("conformance on systemd " + lab.version() + " (seed " + SEED + "): " + CASES + " cases, " + casesAgreed + " agree ("
                + started + " started for real); " + requirementsCompared + " requirement checks, "
                + requirementsAgreed + " agree");
        disagreements.forEach(d -> System.out.println("DISAGREE " + d));
        assertEquals(List.of(), disagreements, disagreements.size() + " of " + CASES + " cases disagree with systemd "
                + lab.version());
    }

    /** Empty when they agree; else one line per difference: what, static answer, real answer. */
    static List<String> compare(Verdict expected, ProbeResult real) {
        StartupVerdict s = expected.startup();
        ProbeResult.Startup r = real.startup();
        if (s.ok() != r.ok() || !s.ok() && s.exitStatus() != null && s.exitStatus() != r.exitStatus()) {
            return List.of("  startup: static " + (s.ok() ? "ok" : s.exitStatus() + "/" + s.exitStatusName() + " "
                    + s.reason()) + " | real " + (r.ok() ? "ok" : r.exitStatus() + "/" + r.exitStatusName() + " "
                    + r.journal()));
        }
        List<String> diff = new ArrayList<>();
        if (!s.ok()) {
            return diff;
        }
        for (int i = 0; i < expected.requirements().size(); i++) {
            RequirementVerdict v = expected.requirements().get(i);
            ProbeResult.Observation o = real.requirements().get(i);
            if (v.ok() != o.ok()) {
                diff.add("  " + v.path() + " " + v.access() + ": static " + (v.ok() ? "ok" : "denied by "
                        + v.deniedBy() + " (" + v.reason() + ")") + " | real " + (o.ok() ? "ok" : o.error()));
            }
        }
        return diff;
    }
}
