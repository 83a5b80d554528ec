package dev.unitguard.probe;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SystemdVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One generated case of the conformance suite: a set of [Service] directives and the paths, accesses and devices
 * to check under them. Each case is a function of its seed only.
 */
record ConformanceCase(int id, List<String> directives, Requirements requirements) {

    private static final List<String> PROTECT_SYSTEM = List.of("no", "yes", "full", "strict");
    private static final List<String> PROTECT_HOME = List.of("no", "yes", "read-only", "tmpfs");
    private static final List<String> ACCESSES = List.of("r", "r", "w", "w", "rw", "x", "rx", "rwx");

    static ConformanceCase generate(int id, long seed) {
        Random random = new Random(seed);
        List<String> d = new ArrayList<>();
        d.add("ExecStart=/bin/true");
        d.add("ProtectSystem=" + PROTECT_SYSTEM.get(id % 4));
        d.add("ProtectHome=" + PROTECT_HOME.get((id / 4) % 4));
        int who = random.nextInt(10);
        if (who < 4) {
            d.add("User=" + ConformanceTree.USER);
        } else if (who < 6) {
            d.add("User=" + ConformanceTree.OTHER);
        } else if (who < 7) {
            d.add("DynamicUser=yes");
        }
        if (who < 4 && random.nextInt(3) == 0) {
            d.add("SupplementaryGroups=" + ConformanceTree.SHARED);
        }
        flag(random, d, "PrivateTmp", 3);
        flag(random, d, "PrivateDevices", 3);
        flag(random, d, "ProtectKernelTunables", 3);
        flag(random, d, "ProtectControlGroups", 3);
        for (String list : List.of("ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths")) {
            if (random.nextInt(3) == 0) {
                d.add(list + "=" + pathList(random));
            }
        }
        int shape = random.nextInt(8);
        if (shape == 0) {
            // read-write inside read-only inside inaccessible
            d.add("InaccessiblePaths=/srv/ug");
            d.add("ReadOnlyPaths=/srv/ug/sub");
            d.add("ReadWritePaths=/srv/ug/sub/inner");
        } else if (shape == 1) {
            d.add("ReadOnlyPaths=/srv/ug");
            d.add("ReadWritePaths=/srv/ug/sub");
            d.add("InaccessiblePaths=-/srv/ug/sub/inner");
        } else if (shape == 2) {
            d.add("TemporaryFileSystem=/srv/ug" + (random.nextBoolean() ? ":ro" : ""));
            d.add((random.nextBoolean() ? "BindPaths=" : "BindReadOnlyPaths=") + "/srv/ug/sub");
            if (random.nextBoolean()) {
                d.add("BindReadOnlyPaths=-/srv/ug/pub.txt");
            }
        } else if (shape == 3) {
            d.add("TemporaryFileSystem=/home");
            d.add("BindPaths=" + (random.nextBoolean() ? "-" : "") + "/home/ugapp/.ssh");
        }
        if (random.nextInt(3) == 0) {
            String dir = List.of("StateDirectory", "CacheDirectory", "LogsDirectory", "RuntimeDirectory",
                    "ConfigurationDirectory").get(random.nextInt(5));
            d.add(dir + "=ugcase" + id);
        }
        if (random.nextInt(12) == 0) {
            List<String> dirs = List.of("/srv/ug/appdir", "/srv/ug/missing-dir", "/home/ugapp", "/srv/ug");
            d.add("WorkingDirectory=" + (random.nextBoolean() ? "-" : "") + dirs.get(random.nextInt(dirs.size())));
        }
        return new ConformanceCase(id, d, requirements(random, d));
    }

    private static void flag(Random random, List<String> d, String key, int oneIn) {
        if (random.nextInt(oneIn) == 0) {
            d.add(key + "=yes");
        }
    }

    private static String pathList(Random random) {
        Set<String> words = new LinkedHashSet<>();
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            List<String> pool = ConformanceTree.LIST_PATHS;
            String path = pool.get(random.nextInt(pool.size()));
            boolean missing = pool.indexOf(path) >= pool.size() - ConformanceTree.MISSING_LIST_PATHS;
            words.add((missing ? random.nextInt(3) > 0 : random.nextInt(4) == 0) ? "-" + path : path);
        }
        return String.join(" ", words);
    }

    private static Requirements requirements(Random random, List<String> directives) {
        List<PathRequirement> paths = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int n = 4 + random.nextInt(4);
        for (String dir : directives) {
            if (dir.matches("(State|Cache|Logs|Runtime|Configuration)Directory=.*")) {
                String prefix = switch (dir.substring(0, dir.indexOf('D'))) {
                    case "State" -> "/var/lib/";
                    case "Cache" -> "/var/cache/";
                    case "Logs" -> "/var/log/";
                    case "Runtime" -> "/run/";
                    default -> "/etc/";
                };
                paths.add(new PathRequirement(prefix + dir.substring(dir.indexOf('=') + 1), Access.parse("rw"), false));
            }
        }
        while (paths.size() < n) {
            List<String> pool = ConformanceTree.REQUIRED_PATHS;
            String path = pool.get(random.nextInt(pool.size()));
            String access = ACCESSES.get(random.nextInt(ACCESSES.size()));
            if (seen.add(path + access)) {
                paths.add(new PathRequirement(path, Access.parse(access), false));
            }
        }
        List<String> devices = random.nextInt(3) == 0
                ? List.of(ConformanceTree.DEVICES.get(random.nextInt(ConformanceTree.DEVICES.size()))) : List.of();
        return new Requirements(Optional.empty(), Optional.empty(), paths, devices);
    }

    /** The case's unit as systemd {@code version} reads it. */
    EffectiveUnit unit(SystemdVersion version) {
        EffectiveUnit.Builder builder = EffectiveUnit.builder("conformance-" + id + ".service").systemd(version);
        for (String directive : directives) {
            int eq = directive.indexOf('=');
            builder.set("Service", directive.substring(0, eq), directive.substring(eq + 1));
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return "case " + id + ": " + directives.stream().skip(1).collect(Collectors.joining(" "));
    }
}
