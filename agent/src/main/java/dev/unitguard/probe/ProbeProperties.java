package dev.unitguard.probe;

import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The unit's [Service] directives that shape its identity and sandbox, converted to the D-Bus types
 * {@code StartTransientUnit} takes, as {@code bus_append_unit_property_assignment()} of systemd-run does. The
 * table covers everything the static model reads; a directive that changes the file system view but cannot be
 * passed to a transient unit is refused with its file and line.
 */
public final class ProbeProperties {

    private static final String S = "Service";

    /** How one directive becomes one property. */
    private enum Kind {
        STRING("s"), CHOICE("s"), BOOLEAN("b"), WORDS("as"), MODE("u"), BINDS("a(ssbt)"), TMPFS("a(ss)"),
        DEVICES("a(ss)"), CREDENTIALS("a(ss)");

        final String signature;

        Kind(String signature) {
            this.signature = signature;
        }
    }

    private static final Map<String, Kind> TABLE = table();

    /** Directives that change what the service sees but have no faithful transient form here. */
    private static final Set<String> UNSUPPORTED = Set.of("RootImage", "RootImageOptions", "MountImages",
            "ExtensionImages", "ExtensionDirectories", "RootHash", "RootVerity", "LoadCredentialEncrypted",
            "SetCredential", "SetCredentialEncrypted", "ImportCredential", "PAMName", "RootDirectoryStartOnly");

    /**
     * Copies the service's secrets into the transient unit's own credentials directory: the probe needs it to see a
     * missing source fail as the service would (243/CREDENTIALS), a health check does without.
     */
    static final Set<String> HEALTH_CHECK_OMITS = Set.of("LoadCredential");

    private ProbeProperties() {
    }

    private static Map<String, Kind> table() {
        Map<String, Kind> t = new LinkedHashMap<>();
        for (String k : List.of("User", "Group", "WorkingDirectory", "RootDirectory")) {
            t.put(k, Kind.STRING);
        }
        for (String k : List.of("ProtectSystem", "ProtectHome", "ProtectProc", "ProcSubset", "DevicePolicy")) {
            t.put(k, Kind.CHOICE);
        }
        for (String k : List.of("DynamicUser", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups", "ProtectHostname",
                "PrivateNetwork", "PrivateIPC", "PrivateMounts", "MountAPIVFS", "ProtectClock", "NoNewPrivileges",
                "RestrictSUIDSGID")) {
            t.put(k, Kind.BOOLEAN);
        }
        for (String k : List.of("SupplementaryGroups", "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
                "ExecPaths", "NoExecPaths")) {
            t.put(k, Kind.WORDS);
        }
        t.put("UMask", Kind.MODE);
        t.put("BindPaths", Kind.BINDS);
        t.put("BindReadOnlyPaths", Kind.BINDS);
        t.put("TemporaryFileSystem", Kind.TMPFS);
        t.put("DeviceAllow", Kind.DEVICES);
        t.put("LoadCredential", Kind.CREDENTIALS);
        return t;
    }

    /** The directives the probe passes on, in table order. */
    static Set<String> keys() {
        return TABLE.keySet();
    }

    /**
     * The unit's sandbox as transient properties (unset directives are left out: systemd's defaults apply). Only
     * directives that act inside the transient unit's own namespace, credentials and cgroup are in the table: never
     * the {@code *Directory=} settings (systemd would create, chown, chmod and remove the live service's
     * directories; {@link ProbeDirectories} mounts equivalents), {@code PIDFile=}, {@code Sockets=},
     * {@code ExecStop=}/{@code ExecReload=}, {@code OnFailure=}/{@code OnSuccess=}, {@code RemoveIPC=} (would remove
     * the IPC objects of the live service's user), {@code Slice=} or anything else that acts on other units.
     */
    static List<TransientProperty> of(EffectiveUnit unit) throws ProbeException {
        return of(unit, Set.of());
    }

    /**
     * The unit's identity and sandbox for a transient unit that must not change the host: as {@link #of} without
     * {@code LoadCredential=} and without the {@code *Directory=} settings. The unit's specifiers must be resolved
     * already.
     */
    public static List<TransientProperty> forHealthCheck(EffectiveUnit unit) throws ProbeException {
        return of(unit, HEALTH_CHECK_OMITS);
    }

    private static List<TransientProperty> of(EffectiveUnit unit, Set<String> without) throws ProbeException {
        for (Assignment a : unit.assignments()) {
            if (a.section().equals(S) && UNSUPPORTED.contains(a.key()) && !a.isReset()) {
                throw refuse(unit, a, "the probe cannot pass this directive to a transient unit");
            }
        }
        List<TransientProperty> out = new ArrayList<>();
        for (Map.Entry<String, Kind> e : TABLE.entrySet()) {
            if (without.contains(e.getKey())) {
                continue;
            }
            Optional<Object> value = convert(unit, e.getKey(), e.getValue());
            if (value.isPresent()) {
                out.add(new TransientProperty(e.getKey(), e.getValue().signature, value.get()));
            }
        }
        return out;
    }

    private static Optional<Object> convert(EffectiveUnit unit, String key, Kind kind) throws ProbeException {
        return switch (kind) {
            case STRING -> unit.value(S, key).map(String::trim);
            case CHOICE -> single(unit, key, v -> Optional.of(choice(v)));
            case BOOLEAN -> single(unit, key, v -> Optional.ofNullable(parseBoolean(v)));
            case MODE -> single(unit, key, v -> v.matches("[0-7]{1,4}")
                    ? Optional.of((Object) Long.parseLong(v, 8)) : Optional.empty());
            case WORDS -> nonEmpty(words(unit, key));
            case BINDS -> nonEmpty(binds(unit, key));
            case TMPFS -> nonEmpty(words(unit, key).stream().map(ProbeProperties::tmpfs).toList());
            case DEVICES -> nonEmpty(pairs(unit, key, "\\s+", "").stream().toList());
            case CREDENTIALS -> nonEmpty(pairs(unit, key, ":", null));
        };
    }

    private interface Parse {
        Optional<Object> apply(String value);
    }

    /** The last valid assignment of a single-valued setting; invalid ones are ignored as systemd ignores them. */
    private static Optional<Object> single(EffectiveUnit unit, String key, Parse parse) {
        Optional<Object> result = Optional.empty();
        for (Assignment a : unit.assignments(S, key)) {
            if (a.isReset()) {
                result = Optional.empty();
                continue;
            }
            Optional<Object> parsed = parse.apply(a.value().trim().toLowerCase(Locale.ROOT));
            if (parsed.isPresent()) {
                result = parsed;
            }
        }
        return result;
    }

    private static Optional<Object> nonEmpty(List<?> list) {
        return list.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(list));
    }

    static Object parseBoolean(String v) {
        return switch (v) {
            case "1", "yes", "y", "true", "t", "on" -> Boolean.TRUE;
            case "0", "no", "n", "false", "f", "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** ProtectSystem=/ProtectHome= and the like: a boolean is written as yes or no, other values as they are. */
    private static String choice(String v) {
        Object b = parseBoolean(v);
        return b == null ? v : ((Boolean) b ? "yes" : "no");
    }

    static List<String> words(EffectiveUnit unit, String key) {
        return unit.words(S, key);
    }

    /** {@code [-]SOURCE[:DEST[:rbind|norbind]]}, as systemd-run splits it. */
    private static List<TransientProperty.Bind> binds(EffectiveUnit unit, String key) {
        List<TransientProperty.Bind> out = new ArrayList<>();
        for (String word : words(unit, key)) {
            boolean ignore = word.startsWith("-");
            String[] parts = (ignore ? word.substring(1) : word).split("(?<!\\\\):", 3);
            String dest = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : parts[0];
            boolean recursive = !(parts.length > 2 && parts[2].equals("norbind"));
            out.add(new TransientProperty.Bind(parts[0], dest, ignore, recursive));
        }
        return out;
    }

    private static TransientProperty.Pair tmpfs(String word) {
        int colon = word.indexOf(':');
        return colon < 0 ? new TransientProperty.Pair(word, "")
                : new TransientProperty.Pair(word.substring(0, colon), word.substring(colon + 1));
    }

    /** One pair per assignment: the part before the first separator, and the rest (or {@code dflt}: the first). */
    private static List<TransientProperty.Pair> pairs(EffectiveUnit unit, String key, String separator, String dflt) {
        List<TransientProperty.Pair> out = new ArrayList<>();
        for (String value : unit.values(S, key)) {
            String[] parts = value.trim().split(separator, 2);
            String second = parts.length > 1 ? parts[1].trim() : dflt == null ? parts[0] : dflt;
            out.add(new TransientProperty.Pair(parts[0], second));
        }
        return out;
    }

    static ProbeException refuse(EffectiveUnit unit, Assignment a, String why) {
        return new ProbeException(unit.name() + ": " + a.key() + "=" + a.value() + " (" + a.location() + "): " + why);
    }
}
