package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.CapabilitySet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Capabilities held by root with the default bounding set say nothing of those used: they are left unstated. */
class LearnerCapabilitiesTest {

    @Test
    void unlessEveryCapability_everyOneTheKernelKnows_unstated() {
        Set<String> all = CapabilitySet.names((1L << 41) - 1);

        assertEquals(Optional.empty(), Learner.unlessEveryCapability(seen(all), 40).capabilities());
    }

    @Test
    void unlessEveryCapability_someMissingOrKernelUnknown_kept() {
        Set<String> some = Set.of("CAP_NET_BIND_SERVICE", "CAP_SETUID");
        Set<String> allButOne = new java.util.TreeSet<>(CapabilitySet.names((1L << 41) - 1));
        allButOne.remove("CAP_MKNOD");

        assertEquals(Optional.of(some), Learner.unlessEveryCapability(seen(some), 40).capabilities());
        assertEquals(Optional.of(allButOne), Learner.unlessEveryCapability(seen(allButOne), 40).capabilities());
        assertEquals(Optional.of(some), Learner.unlessEveryCapability(seen(some), -1).capabilities());
        assertEquals(Optional.of(Set.of()), Learner.unlessEveryCapability(seen(Set.of()), 40).capabilities());
    }

    private static Requirements seen(Set<String> caps) {
        return new Requirements(Optional.of("root"), Optional.empty(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.of(caps));
    }
}
