package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.ALICE;
import static dev.unitguard.apply.ApplyFixture.UNIT;
import static dev.unitguard.apply.ApplyFixture.dropInFor;
import static dev.unitguard.apply.ApplyFixture.hardening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.systemd.JobResult;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.JournalEntry;
import dev.unitguard.unit.SystemdTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyServiceTest {

    private static final Map<String, String> GOOD = Map.of("ProtectSystem", "strict", "PrivateTmp", "yes");
    private static final Map<String, String> BREAKING = Map.of("ProtectSystem", "strict",
            "ReadWritePaths", "/missing");

    @TempDir
    Path dir;
    private ApplyFixture fx;
    private ApplyService service;

    @BeforeEach
    void setUp() {
        fx = new ApplyFixture(dir);
        service = fx.service();
    }

    @Test
    void applyHardening_newDirectives_writesDropInReloadsRestartsAndRecordsHistory() throws Exception {
        String before = fx.systemd.invocation(UNIT);

        ApplyResult result = service.applyHardening(hardening(GOOD, false), ALICE);

        ApplyResult.Applied applied = assertInstanceOf(ApplyResult.Applied.class, result);
        assertEquals(fx.dropIn().toString(), applied.path());
        assertTrue(applied.restarted());
        assertEquals(fx.systemd.invocation(UNIT), applied.invocationId());
        assertFalse(applied.invocationId().equals(before));
        assertEquals(Optional.of("""
                # Managed by unitguard: replaced by the next apply, removed by DELETE hardening.
                [Service]
                PrivateTmp=yes
                ProtectSystem=strict
                """), fx.dropInText());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fx.dropIn())));
        assertEquals(List.of("reload", "restart app.service"), fx.systemd.calls);
        List<HistoryEntry> history = service.history(UNIT);
        assertEquals(1, history.size());
        HistoryEntry entry = history.get(0);
        assertEquals(new HistoryEntry(1, ApplyFixture.CLOCK.instant(), "uid:1000", Operation.SET_HARDENING,
                fx.dropIn().toString(), null, dropInFor(GOOD), Outcome.APPLIED, "restarted", entry.change()), entry);
        assertEquals(List.of(), fx.journalFiles());
        assertEquals(List.of(), fx.temporaries());
    }

    @Test
    void applyHardening_sameRequestTwice_secondUnchangedWithoutWriteReloadOrRestart() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);
        long modified = Files.getLastModifiedTime(fx.dropIn()).toMillis();
        fx.systemd.calls.clear();

        ApplyResult again = service.applyHardening(hardening(GOOD, false), ALICE);

        assertEquals(new ApplyResult.Unchanged(UNIT, fx.dropIn().toString()), again);
        assertEquals(List.of(), fx.systemd.calls);
        assertEquals(modified, Files.getLastModifiedTime(fx.dropIn()).toMillis());
        assertEquals(1, service.history(UNIT).size());
    }

    @Test
    void applyHardening_sameKeyRetried_returnsFirstAnswerEvenAfterRestartOfTheEngine() throws Exception {
        Caller keyed = ALICE.withIdempotencyKey("deploy-42");
        ApplyResult first = service.applyHardening(hardening(GOOD, false), keyed);
        fx.systemd.calls.clear();

        ApplyResult retried = fx.service().applyHardening(hardening(GOOD, false), keyed);

        assertEquals(first, retried);
        assertInstanceOf(ApplyResult.Applied.class, retried);
        assertEquals(List.of(), fx.systemd.calls);
    }

    @Test
    void applyHardening_sameKeyDifferentRequest_refusedNamingTheKey() throws Exception {
        Caller keyed = ALICE.withIdempotencyKey("deploy-42");
        service.applyHardening(hardening(GOOD, false), keyed);

        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(hardening(Map.of("PrivateTmp", "yes"), false), keyed));

        assertEquals(ApplyRequestException.Kind.IDEMPOTENCY_KEY_REUSED, e.kind());
        assertEquals("Idempotency-Key \"deploy-42\" was already used for a different request (at "
                + "2026-11-02T10:00:00Z)", e.getMessage());
    }

    @Test
    void applyHardening_breakingCandidate_refusedWithReasonsAndNothingWritten() throws Exception {
        ApplyResult result = service.applyHardening(hardening(BREAKING, false), ALICE);

        ApplyResult.Refused refused = assertInstanceOf(ApplyResult.Refused.class, result);
        assertEquals(226, refused.exitStatus());
        assertEquals("NAMESPACE", refused.exitStatusName());
        assertEquals(List.of("start fails with status 226/NAMESPACE: Failed to set up mount namespacing: "
                + "/run/systemd/unit-root/missing: No such file or directory (ReadWritePaths=/missing)"),
                refused.reasons());
        assertEquals(Optional.empty(), fx.dropInText());
        assertEquals(List.of(), fx.systemd.calls);
        assertEquals(List.of(), service.history(UNIT));
    }

    @Test
    void applyHardening_refusedWithKey_sameRefusalReplayedAfterRestartOfTheEngine() throws Exception {
        Caller keyed = ALICE.withIdempotencyKey("deploy-43");
        ApplyResult first = service.applyHardening(hardening(BREAKING, false), keyed);

        ApplyResult replayed = fx.service().applyHardening(hardening(BREAKING, false), keyed);

        assertInstanceOf(ApplyResult.Refused.class, first);
        assertEquals(first, replayed);
    }

    @Test
    void applyHardening_rolledBackForNonRootAdmin_journalHoldsSystemdsLinesOnly() throws Exception {
        // force needs the admin scope; only root sees the service's own output
        Caller member = Caller.of("uid:1000", Caller.Scope.ADMIN);

        ApplyResult result = service.applyHardening(hardening(BREAKING, true), member);

        Failure failure = assertInstanceOf(ApplyResult.RolledBack.class, result).failure();
        assertEquals(List.of("app.service: Failed to set up mount namespacing: /missing: No such file or directory",
                "app.service: Main process exited, code=exited, status=226/NAMESPACE"), failure.journal());
        assertEquals(List.of(), service.history(UNIT).stream().filter(e -> String.valueOf(e).contains("secret"))
                .toList(), "history keeps no journal line");
    }

    @Test
    void applyHardening_killedBySigsys_failureNamesTheSystemCallAndTheGroupThatAllowsIt() throws Exception {
        fx.systemd.broken = new UnitState("loaded", "failed", "failed", "signal", 2, 31, "", 0, "");
        String arch = SystemdTables.nativeArchitecture().equals("aarch64") ? "c00000b7" : "c000003e";
        int socket = SystemdTables.get().syscallNumber("socket").getAsInt();
        fx.journal = new Journal() {
            @Override
            public List<JournalEntry> entries(String unit, String invocation, Instant since, int newest) {
                return List.of(JournalEntry.systemd("app.service: Main process exited, code=killed, status=31/SYS"));
            }

            @Override
            public List<String> seccompRecords(Instant since) {
                return List.of("audit: type=1326 audit(1796011659.385:5): auid=4294967295 uid=0 gid=0 pid=9 "
                        + "comm=\"true\" exe=\"/usr/bin/true\" sig=31 arch=" + arch + " syscall=" + socket
                        + " compat=0 ip=0x7f22a7bafdc7 code=0x80000000");
            }
        };

        ApplyResult result = fx.service().applyHardening(hardening(BREAKING, true), ALICE);

        Failure failure = assertInstanceOf(ApplyResult.RolledBack.class, result).failure();
        assertEquals("/usr/bin/true was killed by SIGSYS (status=31/SYS): SystemCallFilter= does not allow the system "
                + "call socket (" + socket + "); @network-io allows it", failure.sigsys());
    }

    @Test
    void applyHardening_rootsKeyReplayedToNonRootAdmin_refusedNotReplayed() throws Exception {
        service.applyHardening(hardening(BREAKING, true), ALICE.withIdempotencyKey("deploy-7"));
        Caller member = new Caller("uid:1000", Optional.of("deploy-7"), Caller.Scope.ADMIN);

        var e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(hardening(BREAKING, true), member));

        assertEquals(ApplyRequestException.Kind.IDEMPOTENCY_KEY_REUSED, e.kind());
    }

    @Test
    void applyHardening_forcedBreakingCandidate_rolledBackWithExitStatusAndJournal() throws Exception {
        ApplyResult result = service.applyHardening(hardening(BREAKING, true), ALICE);

        ApplyResult.RolledBack rolledBack = assertInstanceOf(ApplyResult.RolledBack.class, result);
        Failure failure = rolledBack.failure();
        assertEquals(new Failure(FailedStep.ACTIVE, "app.service failed after the restart: failed (failed), result "
                + "exit-code, exit status 226", JobResult.DONE, "exit-code", 226, List.of("secret printed by ExecStartPre",
                "app.service: Failed to set up mount namespacing: /missing: No such file or directory",
                "app.service: Main process exited, code=exited, status=226/NAMESPACE"), null), failure);
        assertEquals(Optional.empty(), fx.dropInText());
        assertEquals("active", fx.systemd.state(UNIT).activeState());
        assertEquals(List.of("reload", "restart app.service", "reload", "restart app.service"), fx.systemd.calls);
        HistoryEntry entry = service.history(UNIT).get(0);
        assertEquals(Outcome.ROLLED_BACK, entry.outcome());
        assertEquals(dropInFor(BREAKING), entry.after());
        assertEquals(failure.message(), entry.detail());
        assertEquals(List.of(), fx.journalFiles());
    }

    @Test
    void applyHardening_restartJobCanceled_rolledBackAtRestartStepWordsInJson() throws Exception {
        fx.systemd.nextRestartResult = JobResult.CANCELED;

        ApplyResult result = service.applyHardening(hardening(GOOD, false), ALICE);

        ApplyResult.RolledBack rolledBack = assertInstanceOf(ApplyResult.RolledBack.class, result);
        Failure failure = rolledBack.failure();
        assertEquals(FailedStep.RESTART, failure.step());
        assertEquals(JobResult.CANCELED, failure.jobResult());
        assertEquals("restart job of app.service ended with result canceled; the unit is "
                + fx.systemd.state(UNIT).describe(), failure.message());
        String json = ApplyJson.write(result);
        assertTrue(json.contains("\"failure\":{\"step\":\"restart\",\"message\":\"restart job of app.service ended "
                + "with result canceled; "), json);
        assertTrue(json.contains("\"jobResult\":\"canceled\""), json);
        assertEquals(result, ApplyJson.read(json, ApplyResult.class));
    }

    @Test
    void applyHardening_forcedBreakingOverPrevious_previousVersionPutBack() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);

        assertInstanceOf(ApplyResult.RolledBack.class, service.applyHardening(hardening(BREAKING, true), ALICE));

        assertEquals(Optional.of(dropInFor(GOOD)), fx.dropInText());
        assertEquals(List.of(), savedFiles());
    }

    @Test
    void applyHardening_rollbackReloadFails_rollbackFailedAndSavedFileLeft() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);
        fx.systemd.failReloadFrom = 3;

        ApplyResult result = service.applyHardening(hardening(BREAKING, true), ALICE);

        ApplyResult.RollbackFailed failed = assertInstanceOf(ApplyResult.RollbackFailed.class, result);
        assertEquals("reload: Reload(): org.freedesktop.DBus.Error.AccessDenied: denied", failed.rollbackError());
        assertEquals(226, failed.failure().exitStatus());
        assertEquals(1, failed.savedFiles().size());
        assertEquals(dropInFor(GOOD), Files.readString(Path.of(failed.savedFiles().get(0))));
        assertEquals(savedFiles(), List.of(Path.of(failed.savedFiles().get(0))));
        assertEquals(Outcome.ROLLBACK_FAILED, service.history(UNIT).get(1).outcome());
    }

    @Test
    void applyHardening_firstReloadFails_rolledBackWithoutRestart() throws Exception {
        fx.systemd.failReloadFrom = 1;

        ApplyResult result = service.applyHardening(hardening(GOOD, false), ALICE);

        ApplyResult.RollbackFailed failed = assertInstanceOf(ApplyResult.RollbackFailed.class, result);
        assertEquals(FailedStep.RELOAD, failed.failure().step());
        assertEquals(List.of(), failed.failure().journal());
        assertEquals(Optional.empty(), fx.dropInText());
    }

    @Test
    void applyHardening_healthCheckFailsThenTimeRunsOut_reportsTheFailureNotAShortLastAttempt() throws Exception {
        fx.health = (unit, h, t) -> Optional.of(t.toMillis() < 1000 ? "did not finish within " + t.toMillis() + " ms"
                : "exited with status 1");
        HardeningRequest request = new HardeningRequest(UNIT, HardeningRequest.single(GOOD), ApplyFixture.NOTHING,
                Activation.restart(new Health.Exec(List.of("/bin/false")), Duration.ofMillis(1500)), false);

        Failure failure = assertInstanceOf(ApplyResult.RolledBack.class, service.applyHardening(request, ALICE))
                .failure();

        assertEquals("health check failed within 1500 ms: exited with status 1", failure.message());
    }

    @Test
    void applyHardening_healthCheckFails_rolledBackNamingTheCheck() throws Exception {
        fx.health = (unit, h, t) -> Optional.of("GET http://127.0.0.1:8000/health answered 503");
        HardeningRequest request = new HardeningRequest(UNIT, HardeningRequest.single(GOOD), ApplyFixture.NOTHING,
                Activation.restart(new Health.Http(java.net.URI.create("http://127.0.0.1:8000/health")),
                        Duration.ofMillis(200)), false);

        ApplyResult result = service.applyHardening(request, ALICE);

        Failure failure = assertInstanceOf(ApplyResult.RolledBack.class, result).failure();
        assertEquals(FailedStep.HEALTH, failure.step());
        assertEquals("health check failed within 200 ms: GET http://127.0.0.1:8000/health answered 503",
                failure.message());
        assertEquals(Optional.empty(), fx.dropInText());
    }

    @Test
    void applyHardening_unitNotRunning_writtenAndReloadedButNotRestarted() throws Exception {
        fx.systemd.stopped(UNIT);

        ApplyResult result = service.applyHardening(hardening(GOOD, false), ALICE);

        assertFalse(assertInstanceOf(ApplyResult.Applied.class, result).restarted());
        assertEquals(List.of("reload"), fx.systemd.calls);
    }

    @Test
    void applyHardening_manifestNamesUnknownUser_invalidFieldNamingTheUser() {
        HardeningRequest request = new HardeningRequest(UNIT, HardeningRequest.single(GOOD),
                new dev.unitguard.sandbox.Requirements(Optional.of("ghost"), Optional.empty(), List.of(), List.of()),
                Activation.restart(Health.NONE, Duration.ofSeconds(5)), false);

        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(request, ALICE));

        assertEquals(ApplyRequestException.Kind.INVALID_FIELD, e.kind());
        assertEquals("$.requires.user: unknown user \"ghost\"", e.getMessage());
        assertEquals(Optional.empty(), fx.dropInText());
    }

    @Test
    void applyHardening_unknownDirective_invalidFieldNamingIt() {
        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(hardening(Map.of("ProtectSytem", "strict"), false), ALICE));

        assertEquals(ApplyRequestException.Kind.INVALID_FIELD, e.kind());
        assertEquals("$.set.ProtectSytem: Unknown key 'ProtectSytem' in section [Service]", e.getMessage());
    }

    @Test
    void applyHardening_valueWithLineBreak_invalidFieldNamingIt() {
        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(hardening(Map.of("ProtectSystem", "strict\nUser=root"), false), ALICE));

        assertEquals("$.set.ProtectSystem: contains a control character (U+000A) at position 7", e.getMessage());
    }

    @Test
    void applyHardening_valueSystemdWouldIgnore_invalidFieldInSystemdsWords() {
        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(hardening(Map.of("ProtectSystem", "banana"), false), ALICE));

        assertEquals(ApplyRequestException.Kind.INVALID_FIELD, e.kind());
        assertEquals("$.set.ProtectSystem: Failed to parse protect system value, ignoring: banana", e.getMessage());
    }

    @Test
    void applyHardening_badUnitName_invalidField() {
        HardeningRequest request = new HardeningRequest("../etc/passwd", HardeningRequest.single(GOOD),
                ApplyFixture.NOTHING, Activation.reloadOnly(), false);

        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(request, ALICE));

        assertEquals("unit: not a valid unit name: \"../etc/passwd\"", e.getMessage());
    }

    @Test
    void applyHardening_unknownUnit_unitNotFound() {
        HardeningRequest request = new HardeningRequest("nope.service", HardeningRequest.single(GOOD),
                ApplyFixture.NOTHING, Activation.reloadOnly(), false);

        ApplyRequestException e = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(request, ALICE));

        assertEquals(ApplyRequestException.Kind.UNIT_NOT_FOUND, e.kind());
    }

    @Test
    void removeHardening_present_removedAndRecorded_thenUnchanged() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);

        ApplyResult removed = service.removeHardening(UNIT, Activation.restart(Health.NONE, Duration.ofSeconds(5)),
                ALICE);
        ApplyResult again = service.removeHardening(UNIT, Activation.reloadOnly(), ALICE);

        assertInstanceOf(ApplyResult.Applied.class, removed);
        assertEquals(new ApplyResult.Unchanged(UNIT, fx.dropIn().toString()), again);
        assertFalse(Files.exists(fx.dropIn()));
        HistoryEntry entry = service.history(UNIT).get(1);
        assertEquals(Operation.REMOVE_HARDENING, entry.operation());
        assertEquals(dropInFor(GOOD), entry.before());
        assertNull(entry.after());
    }

    @Test
    void rollback_withoutTo_undoesTheNewestAppliedChange() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);
        service.applyHardening(hardening(Map.of("PrivateTmp", "yes"), false), ALICE);

        ApplyResult result = service.rollback(new RollbackRequest(UNIT, java.util.OptionalLong.empty(),
                Activation.reloadOnly()), ALICE);

        assertInstanceOf(ApplyResult.Applied.class, result);
        assertEquals(Optional.of(dropInFor(GOOD)), fx.dropInText());
        assertEquals(Operation.ROLLBACK, service.history(UNIT).get(2).operation());
    }

    @Test
    void rollback_toFirstEntry_restoresWhatItApplied() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);
        service.applyHardening(hardening(Map.of("PrivateTmp", "yes"), false), ALICE);
        service.removeHardening(UNIT, Activation.reloadOnly(), ALICE);

        service.rollback(new RollbackRequest(UNIT, java.util.OptionalLong.of(1), Activation.reloadOnly()), ALICE);

        assertEquals(Optional.of(dropInFor(GOOD)), fx.dropInText());
    }

    @Test
    void rollback_unknownEntry_notFoundNamingKeptRange() throws Exception {
        service.applyHardening(hardening(GOOD, false), ALICE);

        ApplyRequestException e = assertThrows(ApplyRequestException.class, () -> service.rollback(
                new RollbackRequest(UNIT, java.util.OptionalLong.of(7), Activation.reloadOnly()), ALICE));

        assertEquals(ApplyRequestException.Kind.HISTORY_ENTRY_NOT_FOUND, e.kind());
        assertEquals("app.service has no history entry 7 (kept: 1 to 1)", e.getMessage());
    }

    @Test
    void rollback_noHistory_notFound() {
        ApplyRequestException e = assertThrows(ApplyRequestException.class, () -> service.rollback(
                new RollbackRequest(UNIT, java.util.OptionalLong.empty(), Activation.reloadOnly()), ALICE));

        assertEquals("app.service has no applied change to roll back", e.getMessage());
    }

    @Test
    void history_moreChangesThanRetention_keepsTheNewestAndKeepsCounting() throws Exception {
        fx.retention = 3;
        service = fx.service();
        for (int i = 0; i < 5; i++) {
            service.applyHardening(hardening(Map.of("TimeoutStartSec", Integer.toString(10 + i)), false), ALICE);
        }

        List<HistoryEntry> history = service.history(UNIT);

        assertEquals(List.of(3L, 4L, 5L), history.stream().map(HistoryEntry::id).toList());
        assertEquals(dropInFor(Map.of("TimeoutStartSec", "14")), history.get(2).after());
        assertEquals(history.get(1).after(), history.get(2).before());
    }

    @Test
    void metrics_eachRequest_reportsOutcomeAndGeneration() throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        ApplyService measured = ApplyService.builder(fx.systemd)
                .settings(ApplySettings.defaults().withRoot(fx.root).withStateDirectory(fx.state)
                        .withTiming(Duration.ofMillis(10), Duration.ofMillis(5)))
                .journal(Journal.NONE).unitVerifier(UnitVerifier.NONE)
                .metrics(new ApplyMetrics() {
                    @Override
                    public void finished(String unit, Operation operation, Outcome outcome, Duration duration) {
                        seen.add(unit + " " + operation.word() + " " + outcome.word());
                    }

                    @Override
                    public void generation(String unit, long generation) {
                        seen.add(unit + " generation " + generation);
                    }
                }).build();

        measured.applyHardening(hardening(GOOD, false), ALICE);
        measured.applyHardening(hardening(GOOD, false), ALICE);
        measured.applyHardening(hardening(BREAKING, false), ALICE);
        measured.applyHardening(hardening(BREAKING, true), ALICE);

        assertEquals(List.of("app.service set_hardening applied", "app.service generation 1",
                "app.service set_hardening unchanged", "app.service generation 1",
                "app.service set_hardening refused", "app.service generation 1",
                "app.service set_hardening rolled_back", "app.service generation 1"), seen);
    }

    private List<Path> savedFiles() throws Exception {
        Path saved = fx.state.resolve("saved").resolve(UNIT);
        if (!Files.exists(saved)) {
            return List.of();
        }
        try (var files = Files.list(saved)) {
            return files.toList();
        }
    }
}
