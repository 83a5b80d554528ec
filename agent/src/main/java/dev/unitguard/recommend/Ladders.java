package dev.unitguard.recommend;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values a recommended directive can take, strongest first: relaxing a directive is taking the next value down.
 * The last value of each is what systemd does without the directive.
 */
final class Ladders {

    private static final List<String> BOOLEAN = List.of("yes", "no");
    private static final Map<String, List<String>> LADDERS = new TreeMap<>(Map.ofEntries(
            Map.entry("ProtectSystem", List.of("strict", "full", "yes", "no")),
            Map.entry("ProtectHome", List.of("yes", "tmpfs", "read-only", "no")),
            Map.entry("ProtectProc", List.of("invisible", "ptraceable", "default")),
            Map.entry("ProcSubset", List.of("pid", "all")),
            Map.entry("DevicePolicy", List.of("closed", "auto")),
            Map.entry("KeyringMode", List.of("private", "inherit")),
            Map.entry("UMask", List.of("0077", "0027", "0022")),
            Map.entry("PrivateTmp", BOOLEAN), Map.entry("PrivateDevices", BOOLEAN),
            Map.entry("PrivateMounts", BOOLEAN), Map.entry("PrivateNetwork", BOOLEAN),
            Map.entry("ProtectKernelTunables", BOOLEAN), Map.entry("ProtectKernelModules", BOOLEAN),
            Map.entry("ProtectKernelLogs", BOOLEAN), Map.entry("ProtectClock", BOOLEAN),
            Map.entry("ProtectHostname", BOOLEAN), Map.entry("ProtectControlGroups", BOOLEAN),
            Map.entry("RestrictNamespaces", BOOLEAN), Map.entry("NoNewPrivileges", BOOLEAN),
            Map.entry("LockPersonality", BOOLEAN), Map.entry("MemoryDenyWriteExecute", BOOLEAN),
            Map.entry("RestrictRealtime", BOOLEAN), Map.entry("RestrictSUIDSGID", BOOLEAN),
            Map.entry("RemoveIPC", BOOLEAN)));

    private Ladders() {
    }

    static boolean has(String key) {
        return LADDERS.containsKey(key);
    }

    /**
     * The values weaker than {@code current}, strongest first; empty when none or unknown, and for a need denied by
     * no directive of the unit ({@code current} null: file permissions, a missing file, a directive left unset).
     */
    static List<String> weaker(String key, String current) {
        List<String> ladder = LADDERS.getOrDefault(key, List.of());
        int at = current == null ? -1 : ladder.indexOf(current);
        return at < 0 ? List.of() : ladder.subList(at + 1, ladder.size());
    }

    /** The weakest value: what the service gets without the directive. */
    static String weakest(String key) {
        List<String> ladder = LADDERS.get(key);
        return ladder.get(ladder.size() - 1);
    }

    /** The setting a {@code deniedBy} names ({@code ProtectHome} of {@code ProtectHome=yes}); itself without '='. */
    static String key(String deniedBy) {
        int eq = deniedBy.indexOf('=');
        return eq < 0 ? deniedBy : deniedBy.substring(0, eq);
    }
}
