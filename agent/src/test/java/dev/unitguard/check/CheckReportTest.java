package dev.unitguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.sandbox.StartupVerdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one report: its JSON members in the documented order, with and without its optional parts. */
class CheckReportTest {

    private static final StartupVerdict STARTS = new StartupVerdict(true, null, null, null);
    private static final CheckReport.Exposure EXPOSURE = new CheckReport.Exposure(new BigDecimal("9.6"),
            new BigDecimal("8.3"));

    private static CheckReport report(List<RequirementVerdict> requirements) {
        return new CheckReport("app.service", true, STARTS, requirements, List.of(), List.of(), EXPOSURE, List.of(),
                List.of(), null);
    }

    /** The member names, as any mapper writes them: order and presence come from the record's annotations. */
    private static List<String> members(Object value) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode node = mapper.readTree(mapper.writeValueAsString(value));
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ProbeResult probe(boolean starts, boolean... observed) {
        List<ProbeResult.Observation> seen = new ArrayList<>();
        for (boolean ok : observed) {
            seen.add(new ProbeResult.Observation("/srv/app", "r", ok, ok ? null : "Permission denied"));
        }
        return new ProbeResult("unitguard-probe-app.service", starts
                ? new ProbeResult.Startup(true, "success", "exited", 0, "SUCCESS", null)
                : new ProbeResult.Startup(false, "exit-code", "exited", 226, "NAMESPACE", "Failed"), seen);
    }

    @Test
    void json_withoutProbe_staticMembersOnly() throws Exception {
        assertEquals(List.of("unit", "ok", "startup", "requirements", "needs", "exposure", "findings", "warnings"),
                members(report(List.of())));
    }

    @Test
    void json_withProbe_probeAndAgreeLast() throws Exception {
        assertEquals(List.of("unit", "ok", "startup", "requirements", "needs", "exposure", "findings", "warnings",
                "probe", "agree"), members(report(List.of()).withProbe(probe(true))));
    }

    @Test
    void json_withoutFindings_noFindingsMember() throws Exception {
        CheckReport sandboxOnly = new CheckReport("app.service", true, STARTS, List.of(), List.of(), List.of(),
                EXPOSURE, null, List.of(), null);

        assertEquals(List.of("unit", "ok", "startup", "requirements", "needs", "exposure", "warnings"),
                members(sandboxOnly));
    }

    @Test
    void withProbe_probeDeniesWhatTheModelAllows_notOkAndDisagree() {
        CheckReport probed = report(List.of(new RequirementVerdict("/srv/app", "r", true, null, null)))
                .withProbe(probe(true, false));

        assertFalse(probed.ok());
        assertFalse(probed.probed().agree());
    }

    @Test
    void withProbe_bothSayYes_okAndAgree() {
        CheckReport probed = report(List.of(new RequirementVerdict("/srv/app", "r", true, null, null)))
                .withProbe(probe(true, true));

        assertTrue(probed.ok());
        assertTrue(probed.probed().agree());
        assertNull(report(List.of()).probed());
    }
}
