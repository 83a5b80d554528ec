package dev.unitguard.check;

import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether anything in a unit can make a path read-only, so that {@code ReadWritePaths=} would change its access:
 * ProtectSystem= (yes: /usr /boot /efi; full: and /etc; strict: everything but /dev /proc /sys /home /root
 * /run/user), ProtectHome=read-only (also implied by DynamicUser=yes) for /home /root /run/user, ReadOnlyPaths= at
 * or above it. Cautious: a unit with a setting this does not follow (BindReadOnlyPaths=, TemporaryFileSystem=,
 * RootDirectory=, RootImage=, MountImages=) or a path under /dev, /proc or /sys (their own settings make parts
 * read-only) counts as having one.
 */
final class ReadOnlySources {

    private static final List<String> UNFOLLOWED = List.of("BindReadOnlyPaths", "TemporaryFileSystem",
            "RootDirectory", "RootImage", "MountImages");
    private static final List<String> API = List.of("/dev", "/proc", "/sys");
    private static final List<String> HOME = List.of("/home", "/root", "/run/user");

    private ReadOnlySources() {
    }

    /** True when nothing in {@code unit} makes {@code path} (absolute, normalised) read-only. */
    static boolean none(EffectiveUnit unit, String path) {
        if (UNFOLLOWED.stream().anyMatch(k -> !unit.values("Service", k).isEmpty()) || under(path, API)) {
            return false;
        }
        boolean dynamic = CandidateWarnings.dynamicUser(unit);
        String system = unit.value("Service", "ProtectSystem").map(String::strip).orElse("no");
        String home = unit.value("Service", "ProtectHome").map(String::strip).orElse("no");
        if (dynamic && isNo(system)) {
            system = "strict";
        }
        if (dynamic && isNo(home)) {
            home = "read-only";
        }
        List<String> readOnly = new ArrayList<>();
        switch (system) {
            case "strict" -> readOnly.add("/");
            case "full" -> readOnly.addAll(List.of("/usr", "/boot", "/efi", "/etc"));
            default -> {
                if (!isNo(system)) {
                    readOnly.addAll(List.of("/usr", "/boot", "/efi"));
                }
            }
        }
        if (system.equals("strict") && under(path, HOME) && !home.equals("read-only")) {
            readOnly.clear();
        }
        if (home.equals("read-only")) {
            readOnly.addAll(HOME);
        }
        unit.words("Service", "ReadOnlyPaths").forEach(w -> readOnly.add(w.replaceFirst("^[-+]*", "")));
        return !under(path, readOnly);
    }

    private static boolean isNo(String value) {
        return Boolean.FALSE.equals(dev.unitguard.unit.DirectiveValues.parseBoolean(value));
    }

    private static boolean under(String path, List<String> prefixes) {
        return prefixes.stream().anyMatch(p -> p.equals("/") || path.equals(p) || path.startsWith(p + "/"));
    }
}
