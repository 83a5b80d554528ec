package dev.unitguard.learn;

import dev.unitguard.host.Accounts;
import dev.unitguard.json.Json;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The sampler's side of {@code unitguard learn-sample}: samples {@code /proc} for the window and gives the manifest of
 * what the unit's processes used, with {@code learned} saying how many samples were taken.
 */
public final class LearnSample {

    /** About once a second. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private LearnSample() {
    }

    /** The manifest JSON of what {@code unit}'s processes under {@code proc} used over {@code window}. */
    public static String sample(Path proc, Path accountsRoot, String unit, Duration window)
            throws IOException, InterruptedException {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Sampler.Result result = new Sampler(new ProcReader(proc), Accounts.read(accountsRoot))
                .sample(unit, window, INTERVAL);
        if (result.dropped() > 0) {
            System.err.println("unitguard learn-sample: " + result.dropped() + " entries beyond "
                    + RequirementsManifest.MAX_ENTRIES + " per kind left out");
        }
        Document doc = RequirementsManifest.document(result.requirements());
        return Json.write(new Document(doc.user(), doc.group(), doc.paths(), doc.devices(), doc.network(),
                doc.syscalls(), doc.capabilities(), new RequirementsManifest.LearnedEntry(LearnMode.OBSERVE.word(),
                window.toSeconds(), result.samples(), at.toString())));
    }
}
