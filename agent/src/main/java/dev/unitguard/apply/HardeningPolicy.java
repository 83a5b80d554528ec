package dev.unitguard.apply;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.Words;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a caller with the hardening scope may write into unitguard's drop-in: the sandboxing directives of one
 * declarative table ({@link #allowed()}, printed in docs/security.md), each with the values it accepts. A directive
 * not in the table is refused (403, {@link ApplyRequestException.Kind#SCOPE_FORBIDDEN}) with the reason of its
 * family (identity, commands, capabilities, credentials, environment, bind mounts...); an allowed directive with a
 * value that would loosen the sandbox or raise privileges is refused (422,
 * {@link ApplyRequestException.Kind#PRIVILEGE_RAISING}). The unit-wide rules (bounds and exposure) are in
 * {@link ExposureRule}.
 */
public final class HardeningPolicy {

    /** One directive of the allow-list: what it accepts, in words, and the rule that refuses the rest. */
    public record Allowed(String directive, String accepts, ValueRule rule) {
    }

    /** Why a value of an allowed directive is refused; empty when it is accepted. */
    @FunctionalInterface
    public interface ValueRule {
        Optional<String> refusal(String directive, String value, Requirements requires);
    }

    private record Refused(Predicate<String> matches, String family) {
    }

    private static final ValueRule ON = (d, v, r) -> switch (bool(v)) {
        case "true" -> Optional.empty();
        case "false" -> Optional.of("\"" + v + "\" turns " + d + "= off; the hardening scope may only turn it on");
        default -> Optional.of("\"" + v + "\" is not a boolean; the hardening scope may only turn " + d + "= on");
    };
    private static final ValueRule ANY = (d, v, r) -> Optional.empty();
    private static final ValueRule NOT_EMPTY = (d, v, r) -> v.isBlank()
            ? Optional.of("an empty value resets the unit's own " + d + "= settings") : Optional.empty();

    private static final List<Allowed> TABLE = List.of(
            on("NoNewPrivileges"), on("PrivateTmp"), on("PrivateDevices"), on("PrivateNetwork"), on("PrivateIPC"),
            on("PrivateUsers"), on("PrivateMounts"), on("ProtectKernelTunables"), on("ProtectKernelModules"),
            on("ProtectKernelLogs"), on("ProtectControlGroups"), on("ProtectClock"), on("ProtectHostname"),
            on("RestrictSUIDSGID"), on("RestrictRealtime"), on("LockPersonality"), on("MemoryDenyWriteExecute"),
            on("RemoveIPC"),
            oneOf("ProtectSystem", "yes (or true), full, strict", "yes", "full", "strict"),
            oneOf("ProtectHome", "yes (or true), read-only, tmpfs", "yes", "read-only", "tmpfs"),
            oneOf("ProtectProc", "noaccess, invisible, ptraceable", "noaccess", "invisible", "ptraceable"),
            oneOf("ProcSubset", "pid", "pid"),
            oneOf("KeyringMode", "private", "private"),
            oneOf("DevicePolicy", "closed, strict", "closed", "strict"),
            new Allowed("RestrictNamespaces", "yes, or a list of namespace types; not no, not empty",
                    (d, v, r) -> bool(v).equals("false") || v.isBlank()
                            ? Optional.of("\"" + v + "\" lets the service create every kind of namespace")
                            : Optional.empty()),
            new Allowed("RestrictAddressFamilies", "a list of address families (allow or ~deny), none; not empty",
                    NOT_EMPTY),
            new Allowed("SystemCallArchitectures", "a list of architectures such as native; not empty", NOT_EMPTY),
            new Allowed("SystemCallFilter", "a list that narrows the filter (a ~deny list once the unit has one)"
                    + "; not empty", NOT_EMPTY),
            new Allowed("SystemCallErrorNumber", "an errno name or kill", ANY),
            new Allowed("CapabilityBoundingSet", "a list that narrows the bounding set (~CAP_X removes); empty "
                    + "drops every capability; not ~ alone", (d, v, r) -> v.strip().equals("~")
                    ? Optional.of("\"~\" resets the bounding set to every capability") : Optional.empty()),
            new Allowed("IPAddressDeny", "a list of addresses or any; not empty", NOT_EMPTY),
            new Allowed("ReadOnlyPaths", "paths; not empty", NOT_EMPTY),
            new Allowed("InaccessiblePaths", "paths; not empty", NOT_EMPTY),
            new Allowed("NoExecPaths", "paths; not empty", NOT_EMPTY),
            new Allowed("TemporaryFileSystem", "paths, each optionally with :ro; no other mount options",
                    HardeningPolicy::temporaryFileSystem),
            new Allowed("ReadWritePaths", "paths at or below a path the request's requires lists with w access; "
                    + "empty", HardeningPolicy::readWritePaths),
            new Allowed("UMask", "an octal mask with at least 0022", HardeningPolicy::umask));

    private static final Map<String, Allowed> BY_NAME = index();

    /** Families refused outright, first match wins; anything else not in the table is refused as not sandboxing. */
    private static final List<Refused> REFUSED = List.of(
            family("identity directives (who the service runs as)", "User", "Group", "DynamicUser",
                    "SupplementaryGroups", "PAMName"),
            family("ExecPaths= (it undoes NoExecPaths=)", "ExecPaths"),
            new Refused(k -> k.startsWith("Exec"), "commands (Exec*=; with a + prefix they run as root)"),
            family("capability directives (they give the service privileges)", "AmbientCapabilities", "SecureBits"),
            new Refused(k -> k.startsWith("LoadCredential") || k.startsWith("SetCredential")
                    || k.equals("ImportCredential"), "credentials (systemd reads them as root and hands them over)"),
            family("environment directives (LD_PRELOAD and the like change what runs)", "Environment",
                    "EnvironmentFile", "PassEnvironment", "UnsetEnvironment"),
            family("bind mounts (they put any file at any path inside the service)", "BindPaths",
                    "BindReadOnlyPaths"),
            family("root directories and images (a file system of the caller's choosing)", "RootDirectory",
                    "RootImage", "RootImageOptions", "MountImages", "ExtensionImages", "ExtensionDirectories"),
            family("directives that widen access (to devices or addresses)", "DeviceAllow", "IPAddressAllow"));

    private HardeningPolicy() {
    }

    /** The allow-list, in documentation order. */
    public static List<Allowed> allowed() {
        return TABLE;
    }

    /**
     * Checks the candidate drop-in's assignments for a caller with the hardening scope.
     *
     * @throws ApplyRequestException SCOPE_FORBIDDEN naming every directive outside the allow-list, else
     *                               PRIVILEGE_RAISING naming every refused value
     */
    static void check(List<Assignment> candidate, Requirements requires) throws ApplyRequestException {
        Map<String, String> forbidden = new LinkedHashMap<>();
        Map<String, String> raising = new LinkedHashMap<>();
        for (Assignment a : candidate) {
            String name = "set." + a.key();
            Allowed allowed = BY_NAME.get(a.key());
            if (allowed == null) {
                forbidden.putIfAbsent(name, name + ": " + family(a.key()) + " need the admin scope");
                continue;
            }
            allowed.rule().refusal(a.key(), a.value(), requires)
                    .ifPresent(why -> raising.putIfAbsent(name, name + ": " + why));
        }
        if (!forbidden.isEmpty()) {
            throw refusal(ApplyRequestException.Kind.SCOPE_FORBIDDEN, forbidden, "; the hardening scope may set "
                    + "only the sandboxing directives of docs/security.md", true);
        }
        if (!raising.isEmpty()) {
            throw refusal(ApplyRequestException.Kind.PRIVILEGE_RAISING, raising, "", false);
        }
    }

    private static ApplyRequestException refusal(ApplyRequestException.Kind kind, Map<String, String> reasons,
                                                 String tail, boolean admin) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("directives", List.copyOf(reasons.keySet()));
        members.put("scope", "hardening");
        if (admin) {
            members.put("requiredScope", "admin");
        }
        return new ApplyRequestException(kind, String.join("; ", reasons.values()) + tail, members);
    }

    private static String family(String key) {
        return REFUSED.stream().filter(r -> r.matches().test(key)).map(Refused::family).findFirst()
                .orElse("directives outside the hardening allow-list");
    }

    private static Optional<String> temporaryFileSystem(String d, String v, Requirements r) {
        if (v.isBlank()) {
            return NOT_EMPTY.refusal(d, v, r);
        }
        for (String word : words(v)) {
            int colon = word.indexOf(':');
            if (colon >= 0 && !word.substring(colon + 1).equals("ro")) {
                return Optional.of("\"" + word + "\": mount options other than ro (mode=, uid=...) can make the "
                        + "service's own /etc and the like writable");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> readWritePaths(String d, String v, Requirements requires) {
        List<Path> writable = requires.paths().stream().filter(p -> p.access().contains(Access.W))
                .map(PathRequirement::path).map(Path::of).map(Path::normalize).toList();
        for (String word : words(v)) {
            String path = word.replaceFirst("^-?\\+?", "");
            if (!path.startsWith("/") || path.contains("%")
                    || List.of(path.split("/")).stream().anyMatch(c -> c.equals(".") || c.equals(".."))) {
                return Optional.of("\"" + word + "\": the hardening scope needs a plain absolute path (no %, . or ..)");
            }
            Path p = Path.of(path).normalize();
            if (writable.stream().noneMatch(p::startsWith)) {
                return Optional.of("\"" + word + "\" is not at or below a path that requires lists with w access"
                        + (writable.isEmpty() ? " (it lists none)" : " (" + String.join(", ",
                        writable.stream().map(Path::toString).toList()) + ")"));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> umask(String d, String v, Requirements r) {
        String s = v.strip();
        if (!s.matches("[0-7]{1,4}")) {
            return Optional.of("\"" + v + "\" is not an octal mask");
        }
        int mask = Integer.parseInt(s, 8);
        return (mask & 0022) == 0022 ? Optional.empty() : Optional.of("\"" + v + "\" lets group or others write "
                + "the service's new files; the hardening scope needs at least 0022");
    }

    private static List<String> words(String v) {
        try {
            return Words.split(v);
        } catch (IllegalArgumentException e) {
            return List.of(v);
        }
    }

    /** systemd's {@code parse_boolean()}: "true", "false", or "" when not a boolean. */
    static String bool(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> "true";
            case "0", "no", "n", "false", "f", "off" -> "false";
            default -> "";
        };
    }

    private static Allowed on(String directive) {
        return new Allowed(directive, "yes (or another true boolean)", ON);
    }

    private static Allowed oneOf(String directive, String accepts, String... values) {
        Set<String> ok = Set.of(values);
        return new Allowed(directive, accepts, (d, v, r) -> {
            String lower = v.strip().toLowerCase(Locale.ROOT);
            boolean accepted = ok.contains(lower) || ok.contains("yes") && bool(lower).equals("true");
            return accepted ? Optional.empty() : Optional.of("\"" + v + "\" is not one of " + accepts
                    + "; the hardening scope may not loosen " + d + "=");
        });
    }

    private static Refused family(String family, String... keys) {
        Set<String> set = Set.of(keys);
        return new Refused(set::contains, family);
    }

    private static Map<String, Allowed> index() {
        Map<String, Allowed> map = new LinkedHashMap<>();
        TABLE.forEach(a -> map.put(a.directive(), a));
        return map;
    }

    /** The names of the allow-list, for messages and tests. */
    static List<String> names() {
        return new ArrayList<>(BY_NAME.keySet());
    }
}
