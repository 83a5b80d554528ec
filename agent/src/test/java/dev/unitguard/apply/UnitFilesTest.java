package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitFilesTest {

    private static final String WEB = "[Unit]\nDescription=web\n\n[Service]\nExecStart=/usr/bin/true\n";

    @TempDir
    Path dir;
    private ApplyFixture fx;
    private ApplyService service;
    private Path target;

    @BeforeEach
    void setUp() {
        fx = new ApplyFixture(dir);
        service = fx.service();
        target = fx.root.resolve("etc/systemd/system/web.service");
    }

    @Test
    void unitFile_new_installedReloadedRecordedThenUnchanged() throws Exception {
        UnitFileRequest install = new UnitFileRequest("web.service", Optional.of(WEB), Activation.reloadOnly());

        ApplyResult first = service.unitFile(install, ALICE);
        ApplyResult second = service.unitFile(install, ALICE);

        assertInstanceOf(ApplyResult.Applied.class, first);
        assertEquals(new ApplyResult.Unchanged("web.service", target.toString()), second);
        assertEquals(WEB, Files.readString(target));
        assertEquals(List.of("reload"), fx.systemd.calls);
        HistoryEntry entry = service.history("web.service").get(0);
        assertEquals(Operation.INSTALL_UNIT_FILE, entry.operation());
        assertEquals(WEB, entry.after());
    }

    @Test
    void unitFile_loadError_refusedWithParserMessageAndNothingWritten() throws Exception {
        UnitFileRequest bad = new UnitFileRequest("web.service", Optional.of("[Service\nExecStart=/usr/bin/true\n"),
                Activation.reloadOnly());

        ApplyResult result = service.unitFile(bad, ALICE);

        ApplyResult.Refused refused = assertInstanceOf(ApplyResult.Refused.class, result);
        assertEquals(List.of("web.service:1: invalid section header '[Service'"), refused.reasons());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), fx.systemd.calls);
    }

    @Test
    void unitFile_verifierObjects_refusedWithItsLinesNamingTheUnit() throws Exception {
        ApplyService verified = ApplyService.builder(fx.systemd)
                .settings(ApplySettings.defaults().withRoot(fx.root).withStateDirectory(fx.state))
                .unitVerifier(file -> List.of(file + ":5: Command /usr/bin/nope is not executable"))
                .build();

        ApplyResult result = verified.unitFile(new UnitFileRequest("web.service", Optional.of(WEB),
                Activation.reloadOnly()), ALICE);

        assertEquals(List.of("web.service:5: Command /usr/bin/nope is not executable"),
                assertInstanceOf(ApplyResult.Refused.class, result).reasons());
    }

    @Test
    void unitFile_remove_removedAndRecorded() throws Exception {
        service.unitFile(new UnitFileRequest("web.service", Optional.of(WEB), Activation.reloadOnly()), ALICE);

        ApplyResult removed = service.unitFile(new UnitFileRequest("web.service", Optional.empty(),
                Activation.reloadOnly()), ALICE);

        assertInstanceOf(ApplyResult.Applied.class, removed);
        assertFalse(Files.exists(target));
        assertEquals(Operation.REMOVE_UNIT_FILE, service.history("web.service").get(1).operation());
    }

    @Test
    void enablement_enableTwiceThenDisable_oneChangeEachAndHistory() throws Exception {
        ApplyResult enabled = service.enablement(ApplyFixture.UNIT, true, ALICE);
        ApplyResult again = service.enablement(ApplyFixture.UNIT, true, ALICE);
        ApplyResult disabled = service.enablement(ApplyFixture.UNIT, false, ALICE);

        assertInstanceOf(ApplyResult.Applied.class, enabled);
        assertEquals(new ApplyResult.Unchanged(ApplyFixture.UNIT, "unit file state enabled"), again);
        assertInstanceOf(ApplyResult.Applied.class, disabled);
        assertEquals(List.of("enable app.service", "reload", "disable app.service", "reload"), fx.systemd.calls);
        List<HistoryEntry> history = service.history(ApplyFixture.UNIT);
        assertEquals(List.of("disabled -> enabled", "enabled -> disabled"),
                history.stream().map(e -> e.before() + " -> " + e.after()).toList());
    }
}
