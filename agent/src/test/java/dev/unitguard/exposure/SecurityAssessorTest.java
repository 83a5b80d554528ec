package dev.unitguard.exposure;

import dev.unitguard.unit.IpPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-written checks that run without systemd; the differential tests compare everything with the real binary. */
class SecurityAssessorTest {

    private static EffectiveUnit unit(String name, String... keyValues) {
        EffectiveUnit.Builder builder = EffectiveUnit.builder(name).set("Service", "ExecStart", "/bin/true");
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            builder.set("Service", kv.substring(0, eq), kv.substring(eq + 1));
        }
        return builder.build();
    }

    private static Map<String, SecurityCheckResult> checks(ExposureReport report) {
        return report.checks().stream().collect(Collectors.toMap(SecurityCheckResult::id, Function.identity()));
    }

    @Test
    void table_systemd252_has81ChecksWithUniqueIdsAndFields() {
        Set<String> ids = new HashSet<>();
        Set<String> fields = new HashSet<>();
        SecurityChecks.ALL.forEach(c -> {
            ids.add(c.id());
            fields.add(c.jsonField());
        });
        assertEquals(81, SecurityChecks.ALL.size());
        assertEquals(81, ids.size());
        assertEquals(81, fields.size());
    }

    @ParameterizedTest
    @CsvSource({"100,DANGEROUS", "99,UNSAFE", "90,UNSAFE", "89,EXPOSED", "75,EXPOSED", "74,MEDIUM", "50,MEDIUM",
        "49,OK", "10,OK", "9,SAFE", "1,SAFE", "0,PERFECT"})
    void predicate_exposureInTenths_isSystemdWord(long exposure, String predicate) {
        assertEquals(predicate, SecurityAssessor.predicate(exposure));
    }

    @Test
    void assess_emptyService_isUnsafeRoot() {
        ExposureReport report = SecurityAssessor.assess(unit("plain.service"));
        assertEquals(new BigDecimal("9.6"), report.exposure());
        assertEquals("UNSAFE", report.predicate());
        SecurityCheckResult user = checks(report).get("User=/DynamicUser=");
        assertEquals(10L, user.badness());
        assertEquals(new BigDecimal("0.4"), user.exposure());
        assertNull(checks(report).get("RemoveIPC=").badness());
    }

    @Test
    void assess_dynamicUser_impliesStrictSandbox() {
        Map<String, SecurityCheckResult> checks = checks(SecurityAssessor.assess(unit("app.service", "DynamicUser=yes")));
        assertEquals("Service runs under a transient non-root user identity", checks.get("User=/DynamicUser=").description());
        assertEquals(0L, checks.get("ProtectSystem=").badness());
        assertEquals(5L, checks.get("ProtectHome=").badness());
        assertTrue(checks.get("PrivateTmp=").set());
        assertTrue(checks.get("NoNewPrivileges=").set());
        assertTrue(checks.get("RestrictSUIDSGID=").set());
        assertTrue(checks.get("RemoveIPC=").set());
    }

    @Test
    void assess_privateDevices_dropsMknodAndRawioAndClosesDevicePolicy() {
        Map<String, SecurityCheckResult> checks = checks(SecurityAssessor.assess(unit("d.service", "PrivateDevices=yes")));
        assertTrue(checks.get("CapabilityBoundingSet=~CAP_MKNOD").set());
        assertTrue(checks.get("CapabilityBoundingSet=~CAP_SYS_RAWIO").set());
        assertFalse(checks.get("CapabilityBoundingSet=~CAP_SYS_ADMIN").set());
        assertEquals("Service has a minimal device ACL", checks.get("DeviceAllow=").description());
    }

    @Test
    void assess_allowListWithoutResources_reportsFirstOffender() {
        Map<String, SecurityCheckResult> checks = checks(SecurityAssessor.assess(unit("f.service",
                "SystemCallFilter=@system-service", "SystemCallFilter=~@resources")));
        assertEquals("System call allow list defined for service, and @resources is not included",
                checks.get("SystemCallFilter=~@resources").description());
        assertEquals("System call allow list defined for service, and @privileged is included (e.g. chown is allowed)",
                checks.get("SystemCallFilter=~@privileged").description());
        assertEquals(9L, checks.get("SystemCallFilter=~@privileged").badness());
    }

    @Test
    void assess_relativeRootDirectory_failsWithSystemdMessage() {
        SecurityAssessmentException e = assertThrows(SecurityAssessmentException.class,
                () -> SecurityAssessor.assess(unit("r.service", "RootDirectory=srv")));
        assertEquals("r.service:2: RootDirectory= path is not absolute: srv", e.getMessage());
    }

    @Test
    void assess_invalidDynamicUser_failsWithSystemdMessage() {
        SecurityAssessmentException e = assertThrows(SecurityAssessmentException.class,
                () -> SecurityAssessor.assess(unit("r.service", "DynamicUser=maybe")));
        assertEquals("r.service:2: Failed to parse boolean value: maybe", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "127.0.0.1/4,false", "::1,true", "::1/127,false", "10.0.0.0/8,false",
        "::ffff:127.0.0.1,false"})
    void ipPrefix_address_localhostAsSystemd(String text, boolean localhost) {
        assertEquals(localhost, IpPrefix.parse(text).orElseThrow().localhost());
    }

    @ParameterizedTest
    @CsvSource({"1.2.3", "1.2.3.4/33", "::1/129", "1::2::3", "any-thing", "256.1.1.1"})
    void ipPrefix_invalid_isRejected(String text) {
        assertTrue(IpPrefix.parse(text).isEmpty());
    }
}
