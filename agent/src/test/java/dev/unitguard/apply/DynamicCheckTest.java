package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.ALICE;
import static dev.unitguard.apply.ApplyFixture.hardening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe as the engine's dynamic check: what it saw refuses a change; a probe that cannot run does not. */
class DynamicCheckTest {

    private static final Map<String, String> GOOD = Map.of("ProtectSystem", "strict", "PrivateTmp", "yes");

    @TempDir
    Path dir;

    private ApplyResult apply(DynamicCheck dynamic) throws Exception {
        ApplyFixture fx = new ApplyFixture(dir);
        fx.dynamic = dynamic;
        return fx.service().applyHardening(hardening(GOOD, false), ALICE);
    }

    @Test
    void probe_startFails226_refusedWithStatusAndJournal() throws Exception {
        ApplyResult result = apply((unit, candidate, requires) -> new ProbeResult("app.service",
                new ProbeResult.Startup(false, "exit-code", "exited", 226, "NAMESPACE",
                        "Failed to set up mount namespacing: /missing: No such file or directory"), List.of()));

        ApplyResult.Refused refused = assertInstanceOf(ApplyResult.Refused.class, result);
        assertEquals(List.of("probe: the service would not start: status 226/NAMESPACE: Failed to set up mount"
                + " namespacing: /missing: No such file or directory"), refused.reasons());
        assertEquals(226, refused.exitStatus());
        assertEquals("NAMESPACE", refused.exitStatusName());
        assertTrue(refused.check().ok(), "the static check passed; the probe refused");
    }

    @Test
    void probe_pathDenied_refusedNamingPathWithoutExitStatus() throws Exception {
        ApplyResult result = apply((unit, candidate, requires) -> new ProbeResult("app.service",
                new ProbeResult.Startup(true, "success", "exited", 0, "SUCCESS", null),
                List.of(new ProbeResult.Observation("/home/kanakku/.ssh/id_rsa", "r", false, "Permission denied"))));

        ApplyResult.Refused refused = assertInstanceOf(ApplyResult.Refused.class, result);
        assertEquals(List.of("probe: /home/kanakku/.ssh/id_rsa (r): Permission denied"), refused.reasons());
        assertNull(refused.exitStatus());
        assertNull(refused.exitStatusName());
    }

    @Test
    void probe_cannotRun_appliedAndReasonLogged() throws Exception {
        List<String> logged = new ArrayList<>();
        Logger log = Logger.getLogger(HardeningCheck.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        boolean parents = log.getUseParentHandlers();
        log.setUseParentHandlers(false);
        try {
            ApplyResult result = apply((unit, candidate, requires) -> {
                throw new ProbeException("StartTransientUnit: access denied");
            });

            assertInstanceOf(ApplyResult.Applied.class, result);
            assertEquals(List.of("WARNING app.service: the probe did not run, the static check alone decides:"
                    + " StartTransientUnit: access denied"), logged);
        } finally {
            log.removeHandler(handler);
            log.setUseParentHandlers(parents);
        }
    }

    @Test
    void probe_manifestNamesUnknownUser_refusedWithoutStartingTheProbe() {
        List<String> started = new ArrayList<>();
        ApplyFixture fx = new ApplyFixture(dir);
        fx.dynamic = (unit, candidate, requires) -> {
            started.add(unit.name());
            return new ProbeResult(unit.name(),
                    new ProbeResult.Startup(true, "success", "exited", 0, "SUCCESS", null), List.of());
        };
        HardeningRequest request = new HardeningRequest(ApplyFixture.UNIT, HardeningRequest.single(GOOD),
                new Requirements(Optional.of("ghost"), Optional.empty(), List.of(), List.of()),
                Activation.restart(Health.NONE, Duration.ofSeconds(5)), false);

        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> fx.service().applyHardening(request, ALICE));

        assertEquals("$.requires.user: unknown user \"ghost\"", e.getMessage());
        assertEquals(List.of(), started);
    }

    @Test
    void over_systemdUnavailable_notRunAndSaysWhy() {
        DynamicCheck check = DynamicCheck.over((unit, candidate, requires) -> {
            throw new AssertionError("must not run");
        }, () -> Optional.of("no bus"));

        ProbeException e = assertThrows(ProbeException.class,
                () -> check.probe(null, List.of(), ApplyFixture.NOTHING));

        assertEquals("systemd unavailable: no bus", e.getMessage());
    }

    @Test
    void over_systemdAvailable_runsTheProbe() throws Exception {
        ProbeResult seen = new ProbeResult("app.service",
                new ProbeResult.Startup(true, "success", "exited", 0, "SUCCESS", null), List.of());

        assertEquals(seen, DynamicCheck.over((unit, candidate, requires) -> seen, Optional::empty)
                .probe(null, List.of(), ApplyFixture.NOTHING));
    }
}
