package dev.unitguard.sandbox;

import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.ExecCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The [Service] settings the sandbox model reads, parsed as systemd does: the last valid assignment wins, an empty
 * assignment restores the default, invalid values are ignored. {@code DynamicUser=yes} implications are applied.
 */
record ServiceSettings(String protectSystem, String protectHome, boolean privateTmp, boolean privateDevices,
                       boolean protectKernelTunables, boolean protectKernelModules, boolean protectKernelLogs,
                       boolean protectControlGroups, boolean protectHostname, boolean dynamicUser,
                       boolean privateNetwork, boolean privateIpc, boolean mountApiVfs, String protectProc,
                       String procSubset, Optional<String> user, Optional<String> group,
                       List<String> supplementaryGroups, Optional<String> workingDirectory,
                       Optional<String> rootDirectory, List<ExecCommand> commands, List<String> loadCredentials,
                       String devicePolicy, List<String> deviceAllow, EffectiveUnit unit) {

    static final String S = "Service";

    static ServiceSettings of(EffectiveUnit unit) {
        boolean dynamic = bool(unit, "DynamicUser", false);
        String protectSystem = setting(unit, "ProtectSystem", "no", v -> choice(v, "full", "strict"));
        String protectHome = setting(unit, "ProtectHome", "no", v -> choice(v, "read-only", "tmpfs"));
        if (dynamic) {
            protectSystem = "strict";
            protectHome = protectHome.equals("no") ? "read-only" : protectHome;
        }
        Optional<String> root = unit.value(S, "RootDirectory");
        return new ServiceSettings(protectSystem, protectHome,
                bool(unit, "PrivateTmp", false) || dynamic, bool(unit, "PrivateDevices", false),
                bool(unit, "ProtectKernelTunables", false), bool(unit, "ProtectKernelModules", false),
                bool(unit, "ProtectKernelLogs", false), bool(unit, "ProtectControlGroups", false),
                bool(unit, "ProtectHostname", false), dynamic, bool(unit, "PrivateNetwork", false),
                bool(unit, "PrivateIPC", false), bool(unit, "MountAPIVFS", root.isPresent()),
                setting(unit, "ProtectProc", "default",
                        v -> List.of("default", "noaccess", "invisible", "ptraceable").contains(v) ? v : null),
                setting(unit, "ProcSubset", "all", v -> List.of("all", "pid").contains(v) ? v : null),
                unit.value(S, "User"), unit.value(S, "Group"), words(unit, "SupplementaryGroups"),
                unit.value(S, "WorkingDirectory"), root, commands(unit), words(unit, "LoadCredential"),
                setting(unit, "DevicePolicy", "auto", v -> List.of("auto", "closed", "strict").contains(v) ? v : null),
                unit.values(S, "DeviceAllow"), unit);
    }

    /** The words of every assignment of a [Service] list setting still in force. */
    static List<String> words(EffectiveUnit unit, String key) {
        return unit.words(S, key);
    }

    /** The last valid value of a single-valued setting; {@code parse} returns null for an invalid value. */
    static String setting(EffectiveUnit unit, String key, String dflt, Function<String, String> parse) {
        String result = dflt;
        for (Assignment a : unit.assignments(S, key)) {
            if (a.isReset()) {
                result = dflt;
                continue;
            }
            String parsed = parse.apply(a.value().trim().toLowerCase(Locale.ROOT));
            if (parsed != null) {
                result = parsed;
            }
        }
        return result;
    }

    static boolean bool(EffectiveUnit unit, String key, boolean dflt) {
        return Boolean.parseBoolean(setting(unit, key, Boolean.toString(dflt), ServiceSettings::parseBoolean));
    }

    /** systemd's {@code parse_boolean()}; null when not a boolean. */
    static String parseBoolean(String v) {
        return switch (v) {
            case "1", "yes", "y", "true", "t", "on" -> "true";
            case "0", "no", "n", "false", "f", "off" -> "false";
            default -> null;
        };
    }

    /** A boolean or one of the named values: true maps to {@code yes}, false to {@code no}. */
    private static String choice(String v, String... names) {
        String b = parseBoolean(v);
        if (b != null) {
            return b.equals("true") ? "yes" : "no";
        }
        return List.of(names).contains(v) ? v : null;
    }

    private static List<ExecCommand> commands(EffectiveUnit unit) {
        List<ExecCommand> out = new ArrayList<>();
        for (String key : List.of("ExecStartPre", "ExecStart")) {
            for (String value : unit.values(S, key)) {
                try {
                    out.addAll(ExecCommand.parseAll(value));
                } catch (IllegalArgumentException e) {
                    // systemd ignores an invalid command line with a warning
                }
            }
        }
        return out;
    }

    /** Whether systemd sets up a mount namespace at all ({@code exec_needs_mount_namespace()}). */
    boolean needsMountNamespace() {
        List<String> lists = List.of("ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths",
                "NoExecPaths", "BindPaths", "BindReadOnlyPaths", "TemporaryFileSystem");
        boolean dirs = !words(unit, "StateDirectory").isEmpty() || !words(unit, "CacheDirectory").isEmpty()
                || !words(unit, "LogsDirectory").isEmpty();
        return lists.stream().anyMatch(k -> !words(unit, k).isEmpty()) || privateTmp || privateDevices
                || !protectSystem.equals("no") || !protectHome.equals("no") || protectKernelTunables
                || protectKernelModules || protectKernelLogs || protectControlGroups || privateNetwork || privateIpc
                || !protectProc.equals("default") || !procSubset.equals("all") || bool(unit, "PrivateMounts", false)
                || rootDirectory.isPresent() || (dynamicUser && dirs);
    }
}
