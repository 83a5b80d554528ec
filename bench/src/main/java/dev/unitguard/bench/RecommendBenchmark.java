package dev.unitguard.bench;

import dev.unitguard.host.HostViews;
import dev.unitguard.recommend.Recommendation;
import dev.unitguard.recommend.Recommender;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The static search of {@code recommend} for a real Debian unit of this machine and a manifest written from its
 * configuration (the goal: under one second per unit): a snapshot of the kept host view per run, as the API route
 * does ({@link HostViews}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecommendBenchmark {

    private static final Map<String, String> MANIFESTS = Map.of(
            "redis-server.service", """
                    { "user": "redis",
                      "paths": [ {"path": "/etc/redis/redis.conf", "access": "r"},
                                 {"path": "/usr/bin/redis-server", "access": "rx"},
                                 {"path": "/var/lib/redis", "access": "rwx"},
                                 {"path": "/var/log/redis", "access": "rwx"},
                                 {"path": "/run/redis/redis-server.pid", "access": "rw"} ],
                      "network": { "listen": [ {"protocol": "tcp", "address": "127.0.0.1", "port": 6379},
                                               {"protocol": "unix", "path": "/run/redis/redis-server.sock"} ] },
                      "capabilities": [] }""",
            "nginx.service", """
                    { "paths": [ {"path": "/etc/nginx/nginx.conf", "access": "r"},
                                 {"path": "/usr/sbin/nginx", "access": "rx"},
                                 {"path": "/var/log/nginx/access.log", "access": "rw"},
                                 {"path": "/var/lib/nginx", "access": "rwx"},
                                 {"path": "/run/nginx.pid", "access": "rw"} ],
                      "network": { "listen": [ {"protocol": "tcp", "address": "0.0.0.0", "port": 80} ] },
                      "capabilities": ["CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_CHOWN",
                                       "CAP_DAC_OVERRIDE"] }""");

    @Param({"redis-server.service", "nginx.service"})
    public String unit;

    private final Path root = Path.of("/");
    private EffectiveUnit loaded;
    private Requirements needs;

    @Setup
    public void setUp() throws Exception {
        loaded = UnitLoader.forRoot(root).load(unit);
        needs = RequirementsManifest.parse(MANIFESTS.get(unit), unit + ".requires.json");
    }

    @Benchmark
    public Recommendation recommend() throws Exception {
        return new Recommender(HostViews.current(root)).recommend(loaded, needs);
    }
}
