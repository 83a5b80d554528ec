package dev.unitguard.daemons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.check.CheckReport;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.probe.LabJournal;
import dev.unitguard.probe.Probe;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real Debian daemons judged by real systemd (issue 12): for every daemon of {@link Daemons} and every candidate,
 * the truth (the candidate applied as a drop-in, the unit restarted, the daemon's functional check), the static
 * check ({@link CheckReport} with the daemon's hand-written manifest) and the probe. They must agree, except where a
 * candidate declares a known gap. The table goes to {@code target/daemon-suite.md}; the test fails with the
 * difference when docs/probe.md's copy is out of date ({@code -Dunitguard.suite.regenerate=true} rewrites it).
 * Also: the exposure of each Debian unit (the lab's {@code systemd-analyze security} and unitguard's score), and 20
 * probes of each live daemon, two at a time, leave it untouched.
 */
@LabTest
class DaemonSuiteIT {

    private static final Path DOC = Path.of(System.getProperty("unitguard.suite.doc", "../docs/probe.md"));
    private static final Path TABLE = Path.of("target", "daemon-suite.md");
    private static final int PROBES = 20;
    /**
     * A narrower run while iterating: {@code -Dunitguard.suite.daemons=redis,nginx} and
     * {@code -Dunitguard.suite.candidates=exec,network} keep the daemons and candidates whose names contain one of
     * the words. A narrowed run writes its table to target/ but neither compares nor rewrites docs/probe.md.
     */
    private static final List<String> DAEMONS = words("unitguard.suite.daemons");
    private static final List<String> CANDIDATES = words("unitguard.suite.candidates");

    @Test
    void everyDaemonAndCandidate_staticAndProbe_agreeWithTheTruth(Lab lab) throws Exception {
        List<Daemon> daemons = daemons();
        DaemonLab daemonLab = DaemonLab.prepare(lab, daemons);
        List<SuiteTable.Exposure> exposures = new ArrayList<>();
        List<SuiteTable.Row> rows = new ArrayList<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        Map<String, BigDecimal> live = new ConcurrentHashMap<>();
        for (Daemon d : daemons) {
            exposures.add(new SuiteTable.Exposure(d, daemonLab.analyzeSecurity("--offline=true",
                    "/lib/systemd/system/" + d.unit()), null, SecurityAssessor.assess(daemonLab.unit(d)).exposure()));
        }
        try (SystemdClient client = client(lab)) {
            Probe probe = new Probe(client, LabJournal.of(lab), lab.root(), Duration.ofSeconds(20));
            // one thread per daemon: each daemon's candidates in turn, the daemons side by side (distinct ports)
            ExecutorService perDaemon = Executors.newFixedThreadPool(daemons.size());
            try {
                List<Future<List<SuiteTable.Row>>> runs = new ArrayList<>();
                for (Daemon d : daemons) {
                    runs.add(perDaemon.submit(() -> candidates(daemonLab, probe, d, wrong, live)));
                }
                for (Future<List<SuiteTable.Row>> run : runs) {
                    rows.addAll(run.get(20, TimeUnit.MINUTES));
                }
            } finally {
                perDaemon.shutdownNow();
            }
        }
        for (int i = 0; i < daemons.size(); i++) {
            Daemon d = daemons.get(i);
            SuiteTable.Exposure e = exposures.get(i);
            exposures.set(i, new SuiteTable.Exposure(d, e.offline(), live.get(d.name()), e.agent()));
        }
        String table = SuiteTable.markdown(rows, exposures);
        Files.createDirectories(TABLE.getParent());
        Files.writeString(TABLE, table, StandardCharsets.UTF_8);

        assertEquals(List.of(), wrong.stream().sorted().toList(), wrong.size() + " disagreements with the truth that no candidate declares");
        List<String> unequal = exposures.stream().filter(x -> x.offline().compareTo(x.agent()) != 0)
                .map(x -> x.daemon() + ": systemd-analyze " + x.offline() + ", unitguard " + x.agent()).toList();
        assertEquals(List.of(), unequal, "exposure of Debian's units");
        if (!DAEMONS.isEmpty() || !CANDIDATES.isEmpty()) {
            return; // a narrowed run: its table is not the suite's
        }
        if (Boolean.getBoolean("unitguard.suite.regenerate")) {
            SuiteTable.regenerate(DOC, table);
        } else {
            List<String> diff = SuiteTable.diff(DOC, table);
            assertEquals(List.of(), diff, DOC + " is out of date with " + TABLE.toAbsolutePath()
                    + " (rerun with -Dunitguard.suite.regenerate=true to rewrite it)");
        }
    }

    @Test
    void probesOfEachLiveDaemon_twentyTwoAtATime_changeNothing(Lab lab) throws Exception {
        List<Daemon> daemons = daemons();
        DaemonLab daemonLab = DaemonLab.prepare(lab, daemons);
        List<String> changed = new ArrayList<>();
        List<String> before = new ArrayList<>();
        for (Daemon d : daemons) {
            daemonLab.reset(d);
            Truth started = daemonLab.restart(d);
            assertTrue(started.serves(), d + " does not serve under Debian's own unit: " + started.why());
            before.add(daemonLab.live(d));
        }
        try (SystemdClient client = client(lab)) {
            Probe probe = new Probe(client, LabJournal.of(lab), lab.root(), Duration.ofSeconds(20));
            // the daemons' probes run at the same time (probes of different units do), each daemon's two at a time
            List<ExecutorService> pools = new ArrayList<>();
            List<List<Future<ProbeResult>>> runs = new ArrayList<>();
            try {
                for (Daemon d : daemons) {
                    ExecutorService two = Executors.newFixedThreadPool(2);
                    pools.add(two);
                    EffectiveUnit unit = daemonLab.unit(d);
                    Requirements needs = d.requirements();
                    List<Future<ProbeResult>> mine = new ArrayList<>();
                    for (int i = 0; i < PROBES; i++) {
                        mine.add(two.submit(() -> probe.run(unit, needs)));
                    }
                    runs.add(mine);
                }
                for (int n = 0; n < daemons.size(); n++) {
                    Daemon d = daemons.get(n);
                    List<ProbeResult> results = new ArrayList<>();
                    for (Future<ProbeResult> run : runs.get(n)) {
                        results.add(run.get(5, TimeUnit.MINUTES));
                    }
                    ProbeResult first = results.get(0);
                    List<ProbeResult> unlike = results.stream().filter(r -> !r.startup().equals(first.startup())
                            || !r.requirements().equals(first.requirements())
                            || !r.needs().equals(first.needs())).toList();
                    if (!first.startup().ok() || !unlike.isEmpty()) {
                        changed.add(d + ": the probes did not all start and answer alike: " + first + " " + unlike);
                    }
                }
            } finally {
                pools.forEach(ExecutorService::shutdownNow);
            }
        }
        for (int n = 0; n < daemons.size(); n++) {
            Daemon d = daemons.get(n);
            String after = daemonLab.live(d);
            if (!before.get(n).equals(after)) {
                changed.add(d + ": before\n" + before.get(n) + "after\n" + after);
            }
            if (!daemonLab.serves(d)) {
                changed.add(d + ": no longer serves after the probes");
            }
            daemonLab.reset(d);
        }
        assertEquals(List.of(), changed);
    }

    /** One daemon's candidates in turn; the live exposure of its Debian unit is put in {@code live}. */
    private static List<SuiteTable.Row> candidates(DaemonLab daemonLab, Probe probe, Daemon d, List<String> wrong,
                                                   Map<String, BigDecimal> live) throws Exception {
        Truth baseline = daemonLab.restart(d);
        assertTrue(baseline.serves(), d + " does not serve under Debian's own unit: " + baseline.why());
        live.put(d.name(), daemonLab.analyzeSecurity(d.unit()));
        List<SuiteTable.Row> rows = new ArrayList<>();
        for (Candidate c : d.candidates()) {
            if (!CANDIDATES.isEmpty() && CANDIDATES.stream().noneMatch(c.name()::contains)) {
                continue;
            }
            rows.add(judge(daemonLab, probe, d, c, wrong));
        }
        daemonLab.reset(d);
        return rows;
    }

    private static SuiteTable.Row judge(DaemonLab daemonLab, Probe probe, Daemon d, Candidate c, List<String> wrong)
            throws Exception {
        EffectiveUnit unit = daemonLab.unit(d);
        Requirements needs = d.requirements();
        DropInDirectives.Candidate drop = DropInDirectives.read(Path.of(DaemonLab.CANDIDATE_DROP_IN), "service",
                c.directives());
        CheckReport report = CheckReport.sandbox(daemonLab.host(), unit, drop.assignments(), needs)
                .withIgnoredValues(drop.ignored().stream().map(DropInDirectives.IgnoredValue::describe).toList());
        String probeWhy;
        boolean probeOk;
        try {
            ProbeResult seen = daemonLab.withoutReload(() -> probe.run(unit, drop.assignments(), needs));
            probeOk = seen.ok();
            probeWhy = why(seen);
        } catch (ProbeException e) {
            probeOk = false;
            probeWhy = "the probe could not run: " + e.getMessage();
        }
        Truth truth = daemonLab.truth(d, c);
        daemonLab.withdraw(d, truth);
        SuiteTable.Row row = new SuiteTable.Row(d, c, truth.serves(), report.ok(), probeOk);
        String said = d.name() + " | " + c.name() + " | " + c.text() + "\n  truth: "
                + (truth.serves() ? "serves" : "broken: " + truth.why()) + "\n  static: "
                + (report.ok() ? "serves" : "broken: " + why(report)) + "\n  probe: "
                + (probeOk ? "serves" : "broken: " + probeWhy);
        if ((report.ok() != truth.serves()) != c.staticGap().isPresent()) {
            wrong.add((c.staticGap().isPresent() ? "declared static gap closed: " : "static disagrees: ") + said);
        }
        if ((probeOk != truth.serves()) != c.probeGap().isPresent()) {
            wrong.add((c.probeGap().isPresent() ? "declared probe gap closed: " : "probe disagrees: ") + said);
        }
        return row;
    }

    private static String why(CheckReport report) {
        if (!report.startup().ok()) {
            return report.startup().exitStatus() + "/" + report.startup().exitStatusName() + " "
                    + report.startup().reason() + " " + report.warnings();
        }
        List<String> denied = new ArrayList<>(report.requirements().stream().filter(r -> !r.ok())
                .map(r -> r.path() + " " + r.access() + " denied by " + r.deniedBy() + " (" + r.reason() + ")")
                .toList());
        report.needs().stream().filter(n -> !n.ok()).forEach(n -> denied.add(n.need() + " denied by "
                + n.deniedBy() + " (" + n.reason() + ")"));
        return (denied.isEmpty() ? "?" : String.join("; ", denied)) + " " + report.warnings();
    }

    private static String why(ProbeResult seen) {
        if (!seen.startup().ok()) {
            return seen.startup().exitStatus() + "/" + seen.startup().exitStatusName() + " " + seen.startup()
                    .journal();
        }
        List<String> failed = new ArrayList<>(seen.requirements().stream().filter(o -> !o.ok())
                .map(o -> o.path() + " " + o.access() + ": " + o.error()).toList());
        seen.needs().stream().filter(n -> !n.ok()).forEach(n -> failed.add(n.need() + ": " + n.seen()));
        return failed.isEmpty() ? "ok" : String.join("; ", failed);
    }

    private static List<Daemon> daemons() {
        return Daemons.all().stream().filter(d -> DAEMONS.isEmpty() || DAEMONS.stream().anyMatch(d.name()::contains))
                .toList();
    }

    private static List<String> words(String property) {
        String value = System.getProperty(property, "").strip();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s*,\\s*"));
    }

    private static SystemdClient client(Lab lab) {
        return SystemdClient.forAddress(lab.systemBusAddress(), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }
}
