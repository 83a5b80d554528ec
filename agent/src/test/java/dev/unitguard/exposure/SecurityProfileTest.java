package dev.unitguard.exposure;

import dev.unitguard.unit.SystemdTables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.unit.SystemdVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecurityProfileTest {

    @ParameterizedTest
    @ValueSource(ints = {252, 257, 262})
    void of_supportedRelease_everyCheckOfItsGeneratedTable(int number) {
        SecurityProfile profile = SecurityProfile.of(new SystemdVersion(number));

        assertEquals(number, profile.version().number());
        assertEquals(SystemdTables.rows("security-checks-" + number + ".txt", "\t").size(), profile.checks().size());
        assertTrue(profile.tables().isSyscallGroup("@mount"));
    }

    @Test
    void of_unsupportedRelease_theNearestLowerProfile() {
        assertSame(SecurityProfile.of(SystemdVersion.V257), SecurityProfile.of(new SystemdVersion(260)));
        assertSame(SecurityProfile.of(SystemdVersion.V252), SecurityProfile.of(new SystemdVersion(249)));
    }

    @Test
    void tables_sandboxGroup_onlyFrom257() {
        assertFalse(SecurityProfile.of(SystemdVersion.V252).tables().isSyscallGroup("@sandbox"));
        assertTrue(SecurityProfile.of(SystemdVersion.V257).tables().isSyscallGroup("@sandbox"));
    }

    @Test
    void enables_newValues_onlyInTheReleasesThatParseThem() {
        assertFalse(SecurityProfile.of(SystemdVersion.V252).enables("PrivateTmp", "disconnected"));
        assertTrue(SecurityProfile.of(SystemdVersion.V257).enables("PrivateTmp", "disconnected"));
        assertFalse(SecurityProfile.of(SystemdVersion.V257).enables("ProtectHostname", "private:web"));
        assertTrue(SecurityProfile.of(SystemdVersion.V262).enables("ProtectHostname", "private:web"));
        assertFalse(SecurityProfile.of(SystemdVersion.V262).enables("ProtectHostname", "private:"));
    }
}
