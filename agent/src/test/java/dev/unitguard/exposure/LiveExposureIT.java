package dev.unitguard.exposure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's score is live: for every service unit file the lab's systemd ships, a loaded unit scored as the agent
 * scores it ({@link EffectiveUnit#live()}) equals {@code systemd-analyze security UNIT} of the running systemd, overall
 * and check by check (which differs from {@code --offline=true} in {@code PrivateMounts=}). Subclasses run it on the
 * other supported releases.
 */
@LabTest
class LiveExposureIT {

    private static final String MARK = "@@unitguard@@";

    @Test
    void everyShippedService_liveScoreEqualsSystemdAnalyze(Lab lab) throws Exception {
        List<String> units;
        try (Stream<Path> files = Files.list(lab.root().resolve("usr/lib/systemd/system"))) {
            units = files.filter(f -> f.getFileName().toString().endsWith(".service"))
                    .filter(f -> !f.getFileName().toString().contains("@") && !Files.isSymbolicLink(f))
                    .map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertTrue(units.size() > 20, "too few service units in the lab: " + units);
        List<String> text = run(lab, units, "");
        List<String> json = run(lab, units, "--json=short"); // with weights and ranges: SYSTEMD_ANALYZE_DEBUG
        List<String> differences = new ArrayList<>();
        int compared = 0;
        int offlineWouldDiffer = 0;
        UnitLoader loader = UnitLoader.forRoot(lab.root());
        for (int i = 0; i < units.size(); i++) {
            if (!text.get(i).contains("Overall exposure level")) {
                continue; // the running systemd did not load it (a missing binary, a condition): nothing to compare
            }
            EffectiveUnit unit = loader.load(units.get(i));
            ExposureReport live = SecurityAssessor.assess(unit.live());
            SystemdAnalyzeSecurity.Output real = new SystemdAnalyzeSecurity.Output(0, json.get(i), text.get(i), "");
            String name = units.get(i);
            SystemdAnalyzeSecurity.differences(real, live).forEach(d -> differences.add(name + ": " + d));
            if (!SystemdAnalyzeSecurity.differences(real, SecurityAssessor.assess(unit)).isEmpty()) {
                offlineWouldDiffer++;
            }
            compared++;
        }
        assertTrue(compared > 20, "systemd " + lab.version() + " scored only " + compared + " units live");
        assertEquals(List.of(), differences, "systemd " + lab.version() + ": live scores differ");
        // the live mode matters: without it, some shipped units would score differently
        assertTrue(offlineWouldDiffer > 0, "no unit scores differently offline on systemd " + lab.version());
    }

    /** The output of {@code systemd-analyze security ARGS UNIT} inside the lab, one entry per unit. */
    private static List<String> run(Lab lab, List<String> units, String args) {
        String script = "for u in \"$@\"; do SYSTEMD_ANALYZE_DEBUG=1 systemd-analyze security --no-pager " + args
                + " \"$u\" 2>&1; echo " + MARK + "; done";
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(units);
        ExecResult r = lab.exec(Duration.ofMinutes(5), new byte[0], command.toArray(String[]::new));
        List<String> outputs = List.of(r.stdout().split(MARK + "\n", -1));
        assertEquals(units.size() + 1, outputs.size(), r.stderr());
        return outputs.subList(0, units.size());
    }
}
