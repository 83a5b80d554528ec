package dev.unitguard.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.check.CheckReport;
import dev.unitguard.host.HostView;
import dev.unitguard.json.Json;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdTables;
import dev.unitguard.unit.SystemdVersion;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The recommendation on this machine's real files: Debian's redis-server unit with a manifest written from its
 * configuration, statically verified by the same check {@code check} runs; determinism; the system call cover.
 */
class RecommenderTest {

    private static final Path ROOT = Path.of("/");

    private static EffectiveUnit redis() throws Exception {
        assumeTrue(Files.exists(Path.of("/lib/systemd/system/redis-server.service"))
                && Files.isDirectory(Path.of("/var/lib/redis")), "Debian's redis-server is not installed here");
        return UnitLoader.forRoot(ROOT).load("redis-server.service");
    }

    private static Requirements manifest() throws Exception {
        return RequirementsManifest.read(Path.of(RecommenderTest.class.getResource("/recommend/redis.requires.json")
                .toURI()));
    }

    @Test
    void recommend_debianRedis_staticCheckPassesAndExposureNotWorse() throws Exception {
        EffectiveUnit unit = redis();
        Recommendation r = new Recommender(HostView.of(ROOT)).recommend(unit, manifest());

        assertTrue(r.ok(), () -> "unmet: " + r.unmet());
        CheckReport check = CheckReport.sandbox(HostView.of(ROOT), unit, r.directives().assignments(unit), manifest());
        assertTrue(check.ok(), check::toString);
        assertEquals(check.exposure(), new CheckReport.Exposure(r.exposure().before(), r.exposure().after()));
        assertTrue(r.exposure().after().compareTo(r.exposure().before()) <= 0, r.exposure()::toString);
        Map<String, Object> set = r.set();
        assertEquals("", set.get("CapabilityBoundingSet"), "capabilities: [] is an empty bounding set");
        assertEquals(List.of("", "AF_INET AF_INET6 AF_UNIX"), set.get("RestrictAddressFamilies"),
                "the unit's own list is reset first");
        assertEquals("localhost", set.get("IPAddressAllow"));
        assertEquals("redis", set.get("StateDirectory"), "/var/lib/redis is redis:redis: systemd's own directory");
        assertFalse(set.containsKey("LogsDirectory"), "/var/log/redis is redis:adm: LogsDirectory= would chown it");
        assertTrue(r.rejected().stream().anyMatch(x -> x.directive().equals("PrivateNetwork")
                && x.because().equals("would cut off tcp 127.0.0.1:6379")), r.rejected()::toString);
        for (String key : set.keySet()) {
            assertTrue(r.explanations().stream().anyMatch(e -> e.directive().equals(key)), "no explanation: " + key);
        }
    }

    @Test
    void recommend_needUnderAMissingDirectory_unmetNotAFailure() throws Exception {
        EffectiveUnit unit = redis();
        List<PathRequirement> paths = new ArrayList<>(manifest().paths());
        paths.add(new PathRequirement("/etc/unitguard-missing/app.conf", dev.unitguard.host.Access.parse("r"), false));
        Requirements needs = new Requirements(manifest().user(), manifest().group(), paths, List.of());

        Recommendation r = new Recommender(HostView.of(ROOT)).recommend(unit, needs);

        assertEquals(List.of("/etc/unitguard-missing/app.conf"), r.unmet().stream().map(u -> u.path()).toList(),
                r.unmet()::toString);
    }

    @Test
    void recommend_twiceAndOnAShuffledManifest_sameSetAndExposure() throws Exception {
        EffectiveUnit unit = redis();
        Requirements needs = manifest();
        String first = Json.write(new Recommender(HostView.of(ROOT)).recommend(unit, needs));
        String second = Json.write(new Recommender(HostView.of(ROOT)).recommend(unit, needs));
        assertEquals(first, second);

        List<PathRequirement> shuffled = new ArrayList<>(needs.paths());
        Collections.shuffle(shuffled, new Random(14));
        Requirements other = new Requirements(needs.user(), needs.group(), shuffled, needs.devices(),
                needs.network(), needs.syscalls(), needs.capabilities());
        Recommendation a = new Recommender(HostView.of(ROOT)).recommend(unit, needs);
        Recommendation b = new Recommender(HostView.of(ROOT)).recommend(unit, other);
        assertEquals(a.set(), b.set());
        assertEquals(a.exposure(), b.exposure());
    }

    @Test
    void syscallFilter_statedCalls_systemServicePlusExtrasAndDenyOnlyCleanGroups() {
        SystemdTables groups = SystemdTables.of(SystemdVersion.V252);
        SyscallCover plain = SyscallCover.cover(Set.of("read", "write", "openat"), groups);
        assertEquals(List.of("", "@system-service", "~@privileged @resources"), plain.values());

        SyscallCover mount = SyscallCover.cover(Set.of("read", "mount", "setuid"), groups);
        assertEquals(List.of("", "@system-service mount", "~@resources"), mount.values());
        assertEquals(List.of(new Recommendation.Rejected("SystemCallFilter", "~@privileged",
                "syscalls states setuid (in @privileged)")), mount.rejected());
    }
}
