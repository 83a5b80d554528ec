package dev.unitguard.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.testing.RandomText;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the unit-state cache leaves out: the names {@link Probe#name} gives, and nothing else. */
class ProbeNameTest {

    @Test
    void isProbeUnit_everyNameProbeGives_whateverTheUnit() {
        Random random = new Random(7);
        String alphabet = "abcXYZ019_-.@:\\\\ é";
        for (int i = 0; i < 2000; i++) {
            String unit = RandomText.of(random, alphabet, random.nextInt(300));
            String name = Probe.name(unit + (random.nextBoolean() ? ".service" : ""));
            assertTrue(Probe.isProbeUnit(name), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx.service", "unitguard.service", "unitguard-probe-x.service",
            "unitguard-probe-x-0123456789AB.service", "unitguard-probe-x-0123456789a.service",
            "unitguard-probe-x-0123456789abc.service", "unitguard-probe-x-0123456789ab.socket",
            "unitguard-probe-x-0123456789ab.service.d", "xunitguard-probe-x-0123456789ab.service",
            "unitguard-probe-a/b-0123456789ab.service"})
    void isProbeUnit_otherNames_no(String unit) {
        assertFalse(Probe.isProbeUnit(unit), unit);
    }
}
