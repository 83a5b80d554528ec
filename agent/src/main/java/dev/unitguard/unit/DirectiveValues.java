package dev.unitguard.unit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How systemd 252 parses the value of every directive unitguard writes or evaluates as a sandbox setting: one row
 * per directive, naming the {@code config_parse_*} rule systemd applies to it (see load-fragment-gperf.gperf). The
 * unit-file parser checks each assignment of these directives in a unit type's own section and logs and ignores
 * what systemd would; {@link DropInDirectives} refuses it. Directives not in the table are not checked here.
 */
public final class DirectiveValues {

    private static final Map<String, ValueRule> RULES = table();

    private DirectiveValues() {
    }

    private static Map<String, ValueRule> table() {
        Map<String, ValueRule> t = new LinkedHashMap<>();
        for (String key : new String[] {"NoNewPrivileges", "LockPersonality", "MemoryDenyWriteExecute", "RemoveIPC",
                "RestrictRealtime", "RestrictSUIDSGID", "PrivateTmp", "PrivateDevices", "PrivateNetwork",
                "PrivateUsers", "PrivateMounts", "PrivateIPC", "ProtectKernelTunables", "ProtectKernelModules",
                "ProtectKernelLogs", "ProtectClock", "ProtectControlGroups", "ProtectHostname"}) {
            t.put(key, ValueRules.bool());
        }
        t.put("DynamicUser", ValueRules.fatalBool());
        t.put("MountAPIVFS", ValueRules.tristate());
        t.put("ProtectSystem", ValueRules.booleanOr("protect system value", "full", "strict"));
        t.put("ProtectHome", ValueRules.booleanOr("protect home value", "read-only", "tmpfs"));
        t.put("ProtectProc", ValueRules.oneOf("/proc/ protection mode", "noaccess", "invisible", "ptraceable", "default"));
        t.put("ProcSubset", ValueRules.oneOf("/proc/ subset mode", "all", "pid"));
        t.put("KeyringMode", ValueRules.oneOf("keyring mode", "inherit", "private", "shared"));
        t.put("NotifyAccess", ValueRules.oneOf("notify access specifier", "none", "main", "exec", "all"));
        t.put("DevicePolicy", ValueRules.oneOf("device policy", "auto", "closed", "strict"));
        for (String key : new String[] {"ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths", "ExecPaths",
                "NoExecPaths"}) {
            t.put(key, PathRules.namespacePaths());
        }
        t.put("TemporaryFileSystem", PathRules.temporaryFileSystem());
        t.put("BindPaths", PathRules.bindPaths());
        t.put("BindReadOnlyPaths", PathRules.bindPaths());
        for (String kind : new String[] {"Runtime", "State", "Cache", "Logs", "Configuration"}) {
            t.put(kind + "Directory", PathRules.execDirectories(!kind.equals("Configuration")));
            t.put(kind + "DirectoryMode", ValueRules.mode());
        }
        t.put("WorkingDirectory", PathRules.workingDirectory());
        t.put("RootDirectory", PathRules.rootDirectory());
        t.put("DeviceAllow", PathRules.deviceAllow());
        t.put("UMask", ValueRules.mode());
        t.put("CapabilityBoundingSet", ValueRules.capabilities());
        t.put("AmbientCapabilities", ValueRules.capabilities());
        t.put("SystemCallFilter", new SyscallFilterRule());
        t.put("SystemCallArchitectures", ValueRules.architectures());
        t.put("SystemCallErrorNumber", ValueRules.syscallErrno());
        t.put("RestrictNamespaces", ValueRules.namespaces());
        t.put("RestrictAddressFamilies", ValueRules.addressFamilies());
        t.put("IPAddressAllow", NetworkRules.ipAddressPrefixes());
        t.put("IPAddressDeny", NetworkRules.ipAddressPrefixes());
        t.put("SocketBindAllow", NetworkRules.socketBind());
        t.put("SocketBindDeny", NetworkRules.socketBind());
        return Map.copyOf(t);
    }

    /** The directives whose values are checked. */
    public static Set<String> directives() {
        return RULES.keySet();
    }

    /** systemd's verdict on {@code value} for {@code key}; empty when the table has no rule for the directive. */
    public static Optional<ValueVerdict> check(String key, String value) {
        ValueRule rule = RULES.get(key);
        if (rule == null) {
            return Optional.empty();
        }
        ValueCheck check = new ValueCheck(key);
        rule.check(value, check);
        return Optional.of(check.verdict());
    }

    /** systemd's {@code parse_boolean()} (case-insensitive 1/yes/y/true/t/on, 0/no/n/false/f/off): null otherwise. */
    public static Boolean parseBoolean(String value) {
        return ValueRules.parseBoolean(value.strip());
    }
}
