package dev.unitguard.daemons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The suite's hand-written manifests are valid, and docs/manifest.md shows each of them as it is (the documented
 * examples are the ones the suite proves against real systemd).
 */
class DaemonManifestsTest {

    private static final Path DOC = Path.of(System.getProperty("unitguard.manifest.doc", "../docs/manifest.md"));

    @Test
    void manifests_ofEveryDaemon_parseAndAreDocumentedVerbatim() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        for (Daemon d : Daemons.all()) {
            assertTrue(!d.requirements().paths().isEmpty(), d + ": no paths");
            assertTrue(doc.contains("```json\n" + d.manifestText() + "```"),
                    DOC + " does not show " + d.manifestResource() + " as it is");
        }
    }

    @Test
    void daemons_eachHasTenCandidatesWithUniqueNamesAndAFunctionalCheck() {
        for (Daemon d : Daemons.all()) {
            assertTrue(d.candidates().size() >= 10, d + ": " + d.candidates().size() + " candidates");
            Set<String> names = new HashSet<>();
            d.candidates().forEach(c -> assertTrue(names.add(c.name()), d + ": two candidates named " + c.name()));
            assertTrue(!d.serves().isBlank(), d + ": no functional check");
        }
        assertEquals(Daemons.all().size(), Set.copyOf(Daemons.all().stream().map(Daemon::name).toList()).size());
        assertEquals(List.of(), Daemons.all().stream().map(Daemon::name).filter(n -> !n.matches("[a-z0-9-]+"))
                .toList());
    }
}
