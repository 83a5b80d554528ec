package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The probe as the engine's dynamic check: its result as a verdict, and no verdict without systemd. */
class ProbeCheckTest {

    @Test
    void probe_startFails226_notOkWithStatusAndJournal() {
        ProbeCheck check = new ProbeCheck((unit, candidate, requires) -> new ProbeResult("app.service",
                new ProbeResult.Startup(false, "exit-code", "exited", 226, "NAMESPACE",
                        "Failed to set up mount namespacing: /missing: No such file or directory"), List.of()),
                Optional::empty);

        DynamicCheck.Verdict verdict = check.probe(null, List.of(), ApplyFixture.NOTHING);

        assertEquals(new DynamicCheck.Verdict(true, false, List.of("the service would not start: status 226/NAMESPACE:"
                + " Failed to set up mount namespacing: /missing: No such file or directory"), 226, "NAMESPACE"),
                verdict);
    }

    @Test
    void probe_pathDenied_notOkNamingPath() {
        ProbeCheck check = new ProbeCheck((unit, candidate, requires) -> new ProbeResult("app.service",
                new ProbeResult.Startup(true, "success", "exited", 0, "SUCCESS", null),
                List.of(new ProbeResult.Observation("/home/kanakku/.ssh/id_rsa", "r", false, "Permission denied"))),
                Optional::empty);

        assertEquals(new DynamicCheck.Verdict(true, false, List.of("/home/kanakku/.ssh/id_rsa (r): Permission denied"),
                null, null), check.probe(null, List.of(), ApplyFixture.NOTHING));
    }

    @Test
    void probe_systemdUnavailable_notRunDoesNotRefuse() {
        ProbeCheck check = new ProbeCheck((unit, candidate, requires) -> {
            throw new AssertionError("must not run");
        }, () -> Optional.of("no bus"));

        assertEquals(new DynamicCheck.Verdict(false, true, List.of(), null, null),
                check.probe(null, List.of(), ApplyFixture.NOTHING));
    }

    @Test
    void probe_cannotRun_notRunDoesNotRefuse() {
        ProbeCheck check = new ProbeCheck((unit, candidate, requires) -> {
            throw new ProbeException("StartTransientUnit: access denied");
        }, Optional::empty);

        assertEquals(new DynamicCheck.Verdict(false, true, List.of(), null, null),
                check.probe(null, List.of(), ApplyFixture.NOTHING));
    }
}
