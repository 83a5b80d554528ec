package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The differential test of value parsing against the real systemd of the lab (the host's, 252 on Debian 12): every
 * directive of {@link DirectiveValues} with a rotating share of the values of {@link ValueSamples}, each in unitguard's own drop-in of
 * its own service, all verified by one {@code systemd-analyze verify}. unitguard must refuse exactly the values
 * systemd warns about (and so ignores in whole or in part), except the documented {@link ValueDifferential#STRICTER}
 * cases. A failure names the directive, the value and both verdicts, and the systemd version.
 */
@LabTest
class DirectiveValuesIT {

    /** Each directive gets every 6th value (rotating): about 2,100 services, a few minutes on a loaded machine. */
    private static final int STRIDE = 6;

    @Test
    void everyDirectiveAndSample_unitguardRefusesExactlyWhatSystemdIgnores(Lab lab) throws Exception {
        String version = lab.exec("systemd-analyze", "--version").requireSuccess().stdout().lines().findFirst()
                .orElse("systemd ?");
        List<ValueDifferential.Sample> samples = ValueDifferential.samples(STRIDE);
        Path unitDir = lab.root().resolve("etc/systemd/system");

        List<ValueDifferential.Mismatch> mismatches =
                ValueDifferential.compare(samples, names -> verifyInBackground(lab, names), unitDir);

        assertTrue(samples.size() > 1500, "samples: " + samples.size());
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " of " + samples.size() + " values judged"
                + " differently from " + version + ":\n" + mismatches.stream().limit(200).map(Object::toString)
                .collect(Collectors.joining("\n")));
    }

    /**
     * One {@code systemd-analyze verify} of all the units, run in the background inside the lab (it takes minutes on
     * a busy machine, longer than one lab command may), its output read once it has finished.
     */
    private static String verifyInBackground(Lab lab, List<String> names) {
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "rm -f /run/ugv.rc; (systemd-analyze verify \"$@\" >/run/ugv.out 2>&1; echo $? >/run/ugv.rc) "
                        + ">/dev/null 2>&1 </dev/null &", "sh"));
        command.addAll(names);
        lab.exec(command.toArray(String[]::new)).requireSuccess();
        Path rc = lab.root().resolve("run/ugv.rc");
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        try {
            while (!Files.exists(rc) || Files.readString(rc).isBlank()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("systemd-analyze verify of " + names.size() + " units did not"
                            + " finish within 15 minutes");
                }
                Thread.sleep(1000);
            }
            return Files.readString(lab.root().resolve("run/ugv.out"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
