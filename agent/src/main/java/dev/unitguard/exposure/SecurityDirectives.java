package dev.unitguard.exposure;

import dev.unitguard.unit.AddressFamilyFilter;
import dev.unitguard.unit.CapabilitySet;
import dev.unitguard.unit.SyscallFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How systemd 252 parses each setting the exposure score reads: one parser per {@code Section/Key}, applied to the
 * assignments in order, as systemd's {@code config_parse_*} functions do. Invalid values are ignored (systemd logs
 * and keeps the previous value); list settings accumulate and an empty assignment resets them.
 */
final class SecurityDirectives {

    /** Parses one value into the info; the unit name is there for specifiers. */
    interface Parser {
        void apply(SecurityInfo info, String value, String unitName);
    }

    /** Section, then key: a lookup per assignment without building a string. */
    private static final Map<String, Map<String, Parser>> PARSERS = bySection(table());

    private SecurityDirectives() {
    }

    static Optional<Parser> parser(String section, String key) {
        return Optional.ofNullable(PARSERS.getOrDefault(section, Map.of()).get(key));
    }

    private static Map<String, Map<String, Parser>> bySection(Map<String, Parser> table) {
        Map<String, Map<String, Parser>> sections = new HashMap<>();
        table.forEach((sectionAndKey, parser) -> {
            int slash = sectionAndKey.indexOf('/');
            sections.computeIfAbsent(sectionAndKey.substring(0, slash), s -> new HashMap<>())
                    .put(sectionAndKey.substring(slash + 1), parser);
        });
        return sections;
    }

    private static Map<String, Parser> table() {
        Map<String, Parser> t = new HashMap<>();
        t.put("Unit/DefaultDependencies", bool((i, b) -> i.defaultDependencies = b));
        service(t, "PrivateDevices", bool((i, b) -> i.privateDevices = b));
        service(t, "PrivateMounts", bool((i, b) -> i.privateMounts = b));
        service(t, "PrivateNetwork", bool((i, b) -> i.privateNetwork = b));
        service(t, "PrivateTmp", bool((i, b) -> i.privateTmp = b));
        service(t, "PrivateUsers", bool((i, b) -> i.privateUsers = b));
        service(t, "ProtectControlGroups", bool((i, b) -> i.protectControlGroups = b));
        service(t, "ProtectKernelModules", bool((i, b) -> i.protectKernelModules = b));
        service(t, "ProtectKernelTunables", bool((i, b) -> i.protectKernelTunables = b));
        service(t, "ProtectKernelLogs", bool((i, b) -> i.protectKernelLogs = b));
        service(t, "ProtectClock", bool((i, b) -> i.protectClock = b));
        service(t, "ProtectHostname", bool((i, b) -> i.protectHostname = b));
        service(t, "LockPersonality", bool((i, b) -> i.lockPersonality = b));
        service(t, "MemoryDenyWriteExecute", bool((i, b) -> i.memoryDenyWriteExecute = b));
        service(t, "NoNewPrivileges", bool((i, b) -> i.noNewPrivileges = b));
        service(t, "RemoveIPC", bool((i, b) -> i.removeIpc = b));
        service(t, "RestrictRealtime", bool((i, b) -> i.restrictRealtime = b));
        service(t, "RestrictSUIDSGID", bool((i, b) -> i.restrictSuidSgid = b));
        service(t, "DynamicUser", fatalBool((i, b) -> i.dynamicUser = b));
        service(t, "ProtectSystem", enumWithBoolean("no", "yes", List.of("full", "strict"), (i, v) -> i.protectSystem = v));
        service(t, "ProtectHome", enumWithBoolean("no", "yes", List.of("read-only", "tmpfs"), (i, v) -> i.protectHome = v));
        service(t, "KeyringMode", oneOf(List.of("inherit", "private", "shared"), (i, v) -> i.keyringMode = v));
        service(t, "ProtectProc", oneOf(List.of("default", "noaccess", "invisible", "ptraceable"), (i, v) -> i.protectProc = v));
        service(t, "ProcSubset", oneOf(List.of("all", "pid"), (i, v) -> i.procSubset = v));
        service(t, "NotifyAccess", oneOf(List.of("none", "all", "main", "exec"), (i, v) -> i.notifyAccess = v));
        service(t, "DevicePolicy", oneOf(List.of("auto", "closed", "strict"), (i, v) -> i.devicePolicy = v));
        service(t, "User", SecurityDirectives::user);
        service(t, "SupplementaryGroups", SecurityDirectives::supplementaryGroups);
        service(t, "UMask", SecurityDirectives::umask);
        service(t, "CapabilityBoundingSet", (i, v, u) ->
                i.capabilityBoundingSet = CapabilitySet.apply(i.capabilityBoundingSet, CapabilitySet.ALL, v));
        service(t, "AmbientCapabilities", (i, v, u) ->
                i.ambientCapabilities = CapabilitySet.apply(i.ambientCapabilities, 0, v));
        service(t, "RestrictNamespaces", SecurityNamespaces::apply);
        service(t, "RestrictAddressFamilies", SecurityDirectives::addressFamilies);
        service(t, "SystemCallArchitectures", SecurityDirectives::architectures);
        service(t, "SystemCallFilter", (i, v, u) -> i.systemCallFilter =
                SyscallFilter.apply(Optional.ofNullable(i.systemCallFilter), v, i.tables).orElse(null));
        service(t, "IPAddressDeny", (i, v, u) -> SecurityIpPrefixes.deny(i, v));
        service(t, "IPAddressAllow", (i, v, u) -> SecurityIpPrefixes.allow(i, v));
        service(t, "IPIngressFilterPath", (i, v, u) -> SecurityIpPrefixes.ingressFilter(i, v));
        service(t, "IPEgressFilterPath", (i, v, u) -> SecurityIpPrefixes.egressFilter(i, v));
        service(t, "DeviceAllow", SecurityDirectives::deviceAllow);
        service(t, "Delegate", SecurityDirectives::delegate);
        service(t, "RootDirectory", absolutePath("RootDirectory", (i, v) -> i.rootDirectory = v));
        service(t, "RootImage", absolutePath("RootImage", (i, v) -> i.rootImage = v));
        service(t, "MountImages", (i, v, u) -> i.mountImages = !v.isEmpty());
        return Map.copyOf(t);
    }

    private static void service(Map<String, Parser> table, String key, Parser parser) {
        table.put("Service/" + key, parser);
    }

    /** systemd's parse_boolean(): empty when the value is no boolean. */
    static Optional<Boolean> parseBoolean(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> Optional.of(true);
            case "0", "no", "n", "false", "f", "off" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static Parser bool(BiConsumer<SecurityInfo, Boolean> setter) {
        return (info, value, unit) -> parseBoolean(value).ifPresent(b -> setter.accept(info, b));
    }

    /** A boolean whose invalid value makes systemd refuse the unit. */
    private static Parser fatalBool(BiConsumer<SecurityInfo, Boolean> setter) {
        return (info, value, unit) -> setter.accept(info, parseBoolean(value).orElseThrow(
                () -> new SecurityAssessmentException("Failed to parse boolean value: " + value)));
    }

    /** An enum that also takes a boolean (false: the first value, true: the second); empty is ignored. */
    private static Parser enumWithBoolean(String no, String yes, List<String> others,
                                          BiConsumer<SecurityInfo, String> setter) {
        return (info, value, unit) -> {
            Optional<Boolean> b = parseBoolean(value);
            if (b.isPresent()) {
                setter.accept(info, b.get() ? yes : no);
            } else if (others.contains(value)) {
                setter.accept(info, value);
            }
        };
    }

    private static Parser oneOf(List<String> values, BiConsumer<SecurityInfo, String> setter) {
        return (info, value, unit) -> {
            if (values.contains(value)) {
                setter.accept(info, value);
            }
        };
    }

    private static Parser absolutePath(String key, BiConsumer<SecurityInfo, String> setter) {
        return (info, value, unit) -> {
            if (value.isEmpty()) {
                setter.accept(info, null);
                return;
            }
            String path = SecurityUnitNames.resolveSpecifiers(value, unit, "'" + value + "'");
            if (!path.startsWith("/")) {
                throw new SecurityAssessmentException(key + "= path is not absolute: " + path);
            }
            setter.accept(info, path);
        };
    }

    private static void user(SecurityInfo info, String value, String unit) {
        info.user = value.isEmpty() ? null : validUserOrGroup(SecurityUnitNames.resolveSpecifiers(value, unit));
    }

    /** systemd's relaxed user/group name check; an invalid name makes systemd refuse the unit. */
    private static String validUserOrGroup(String name) {
        boolean valid = !name.isEmpty() && !name.startsWith("-") && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == ':' || c == '/' || Character.isWhitespace(c) || c < 32 || c == 127);
        if (!valid) {
            throw new SecurityAssessmentException("Invalid user/group name or numeric ID: " + name);
        }
        return name;
    }

    private static void supplementaryGroups(SecurityInfo info, String value, String unit) {
        if (value.isEmpty()) {
            info.supplementaryGroups.clear();
            return;
        }
        for (String word : SecurityUnitNames.words(value)) {
            info.supplementaryGroups.add(validUserOrGroup(SecurityUnitNames.resolveSpecifiers(word, unit)));
        }
    }

    private static void umask(SecurityInfo info, String value, String unit) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '7') || value.length() > 11) {
            return;
        }
        long mode = Long.parseLong(value, 8);
        if (mode <= 07777) {
            info.umask = (int) mode;
        }
    }

    private static void addressFamilies(SecurityInfo info, String value, String unit) {
        info.addressFamilies = AddressFamilyFilter.apply(Optional.ofNullable(info.addressFamilies), value).orElse(null);
    }

    private static final Set<String> ARCHITECTURES = Set.of("native", "x86", "x86-64", "x32", "arm", "arm64",
            "mips", "mips64", "mips64-n32", "mipsel", "mips64-le", "mips64-le-n32", "ppc", "ppc64", "ppc64-le",
            "s390", "s390x", "parisc", "parisc64", "riscv64");

    private static void architectures(SecurityInfo info, String value, String unit) {
        if (value.isEmpty()) {
            info.systemCallArchitectures.clear();
            return;
        }
        for (String word : SecurityUnitNames.words(value)) {
            if (ARCHITECTURES.contains(word)) {
                info.systemCallArchitectures.add(word);
            }
        }
    }

    private static void deviceAllow(SecurityInfo info, String value, String unit) {
        if (value.isEmpty()) {
            info.deviceAllow.clear();
            return;
        }
        List<String> words = SecurityUnitNames.words(value);
        if (words.isEmpty() || words.size() > 2) {
            return;
        }
        String path;
        try {
            path = SecurityUnitNames.resolveSpecifiers(words.get(0), unit);
        } catch (SecurityAssessmentException e) {
            return; // systemd warns "Failed to resolve unit specifiers in '...', ignoring" and skips the entry
        }
        String access = words.size() == 2 ? words.get(1) : "rwm";
        boolean validPath = path.startsWith("/dev/") || path.startsWith("block-") || path.startsWith("char-");
        if (validPath && !access.isEmpty() && access.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm')) {
            info.addDeviceAllow(path, access);
        }
    }

    private static void delegate(SecurityInfo info, String value, String unit) {
        if (value.isEmpty()) {
            info.delegate = true;
            return;
        }
        info.delegate = parseBoolean(value).orElse(true);
    }
}
