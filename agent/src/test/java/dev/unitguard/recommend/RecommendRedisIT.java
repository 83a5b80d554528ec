package dev.unitguard.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.host.HostView;
import dev.unitguard.lab.DebianDaemon;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The truth for a recommendation: Debian's redis-server in the lab, its recommended set applied as a drop-in, the
 * daemon restarted, and it still answers PING on TCP and on its Unix socket; the exposure after is at most 4.0.
 */
@LabTest
class RecommendRedisIT {

    private static final String UNIT = "redis-server.service";

    @Test
    void recommendedSet_appliedToDebianRedis_stillServesAtExposureFourOrBelow(Lab lab) throws Exception {
        DebianDaemon.requireInstalled("redis-server", "redis-tools");
        DebianDaemon.copyInto(lab, List.of("redis"), List.of("/etc/redis", "/var/lib/redis", "/var/log/redis"));
        lab.exec("sh", "-c", "printf 'unixsocket /run/redis/redis-server.sock\\nunixsocketperm 770\\n' "
                + ">> /etc/redis/redis.conf").requireSuccess();
        EffectiveUnit unit = UnitLoader.forRoot(lab.root()).load(UNIT);
        Requirements needs = RequirementsManifest.read(Path.of(getClass().getResource("/recommend/redis.requires.json")
                .toURI()));

        Recommendation r = new Recommender(HostView.withMountInfo(lab.root(), Path.of("/proc/" + lab.pid()
                + "/mountinfo"))).recommend(unit, needs);
        assertTrue(r.ok(), () -> "unmet: " + r.unmet());
        lab.writeFile("/etc/systemd/system/" + UNIT + ".d/50-unitguard.conf", r.directives().text("service"), "644",
                "root:root");
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", UNIT);

        assertEquals("active", lab.exec("systemctl", "is-active", UNIT).stdout().strip(),
                () -> lab.exec("journalctl", "-u", UNIT, "--no-pager", "-n", "30").stdout());
        assertEquals("PONG", lab.exec("redis-cli", "PING").stdout().strip());
        assertEquals("PONG", lab.exec("redis-cli", "-s", "/run/redis/redis-server.sock", "PING").stdout().strip());
        assertEquals("OK", lab.exec("redis-cli", "SET", "k", "v").stdout().strip(), "redis can write its data");
        assertEquals("OK", lab.exec("redis-cli", "SAVE").stdout().strip(), "redis can write /var/lib/redis");
        assertTrue(r.exposure().after().compareTo(new BigDecimal("4.0")) <= 0, r.exposure()::toString);
        assertTrue(r.exposure().after().compareTo(r.exposure().before()) <= 0, r.exposure()::toString);
    }
}
