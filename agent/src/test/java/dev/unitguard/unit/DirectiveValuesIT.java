package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The differential test of value parsing against the real systemd of the lab (the host's, 252 on Debian 12): every
 * directive of {@link DirectiveValues} with every value of {@link ValueSamples}, each in unitguard's own drop-in of
 * its own service, all verified by one {@code systemd-analyze verify}. unitguard must refuse exactly the values
 * systemd warns about (and so ignores in whole or in part), except the documented {@link ValueDifferential#STRICTER}
 * cases. A failure names the directive, the value and both verdicts, and the systemd version.
 */
@LabTest
class DirectiveValuesIT {

    @Test
    void everyDirectiveAndSample_unitguardRefusesExactlyWhatSystemdIgnores(Lab lab) throws Exception {
        String version = lab.exec("systemd-analyze", "--version").requireSuccess().stdout().lines().findFirst()
                .orElse("systemd ?");
        List<ValueDifferential.Sample> samples = ValueDifferential.samples();
        Path unitDir = lab.root().resolve("etc/systemd/system");

        List<ValueDifferential.Mismatch> mismatches = ValueDifferential.compare(samples, names -> {
            List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
            command.addAll(names);
            ExecResult result = lab.exec(command.toArray(String[]::new));
            return result.stdout() + result.stderr();
        }, unitDir);

        assertTrue(samples.size() > 5000, "samples: " + samples.size());
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " of " + samples.size() + " values judged"
                + " differently from " + version + ":\n" + mismatches.stream().limit(200).map(Object::toString)
                .collect(Collectors.joining("\n")));
    }

    @Test
    void systemdWarnsAtAll_forAKnownBadValue(Lab lab) throws Exception {
        // Guards the differential: if systemd-analyze printed nothing we could parse, every "accepts" would agree.
        List<ValueDifferential.Sample> bad = List.of(new ValueDifferential.Sample("ProtectSystem", "banana"));
        Path unitDir = lab.root().resolve("etc/systemd/system");
        List<ValueDifferential.Mismatch> none = ValueDifferential.compare(bad, names -> {
            List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
            command.addAll(names);
            ExecResult result = lab.exec(command.toArray(String[]::new));
            assertTrue((result.stdout() + result.stderr()).contains(
                    "50-unitguard.conf:2: Failed to parse protect system value, ignoring: banana"), result.toString());
            return result.stdout() + result.stderr();
        }, unitDir);
        assertTrue(none.isEmpty(), none.toString());
    }
}
