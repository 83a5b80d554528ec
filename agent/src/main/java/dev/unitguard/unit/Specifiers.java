package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Resolves {@code %} specifiers (systemd.unit(5), "Specifiers") as systemd 252's system manager does for a unit.
 * %u, %U, %h, %s, %g, %G are the manager's user (root for the system manager), not {@code User=}. Host facts
 * (os-release, hostname, machine-id) are read under the root directory; a missing one is an error naming the
 * specifier and the file.
 */
public final class Specifiers {

    private static final Map<Character, Function<Specifiers, String>> TABLE = Map.ofEntries(
            Map.entry('a', s -> architecture()),
            Map.entry('A', s -> s.facts.osRelease("IMAGE_VERSION")),
            Map.entry('b', s -> bootId()),
            Map.entry('B', s -> s.facts.osRelease("BUILD_ID")),
            Map.entry('C', s -> "/var/cache"),
            Map.entry('d', s -> "/run/credentials/" + s.unit.name()),
            Map.entry('E', s -> "/etc"),
            Map.entry('f', s -> UnitNameEscape.unescapePath(s.unit.isInstance() ? s.unit.instance() : s.unit.prefix())),
            Map.entry('g', s -> "root"),
            Map.entry('G', s -> "0"),
            Map.entry('h', s -> "/root"),
            Map.entry('H', s -> s.facts.hostname()),
            Map.entry('i', s -> s.instance()),
            Map.entry('I', s -> UnitNameEscape.unescape(s.instance())),
            Map.entry('j', s -> lastComponent(s.unit.prefix())),
            Map.entry('J', s -> UnitNameEscape.unescape(lastComponent(s.unit.prefix()))),
            Map.entry('l', s -> shortName(s.facts.hostname())),
            Map.entry('L', s -> "/var/log"),
            Map.entry('m', s -> s.facts.machineId()),
            Map.entry('M', s -> s.facts.osRelease("IMAGE_ID")),
            Map.entry('n', s -> s.unit.name()),
            Map.entry('N', s -> s.unit.name().substring(0, s.unit.name().lastIndexOf('.'))),
            Map.entry('o', s -> s.facts.osRelease("ID")),
            Map.entry('p', s -> s.unit.prefix()),
            Map.entry('P', s -> UnitNameEscape.unescape(s.unit.prefix())),
            Map.entry('q', s -> s.prettyHostname()),
            Map.entry('s', s -> "/bin/sh"),
            Map.entry('S', s -> "/var/lib"),
            Map.entry('t', s -> "/run"),
            Map.entry('T', s -> "/tmp"),
            Map.entry('u', s -> "root"),
            Map.entry('U', s -> "0"),
            Map.entry('v', s -> System.getProperty("os.version")),
            Map.entry('V', s -> "/var/tmp"),
            Map.entry('w', s -> s.facts.osRelease("VERSION_ID")),
            Map.entry('W', s -> s.facts.osRelease("VARIANT_ID")),
            Map.entry('y', s -> s.fragment()),
            Map.entry('Y', s -> s.fragment().substring(0, Math.max(1, s.fragment().lastIndexOf('/')))),
            Map.entry('%', s -> "%"));

    private final UnitName unit;
    private final String fragmentPath;
    private final HostFacts facts;

    private Specifiers(UnitName unit, String fragmentPath, Path root) {
        this.unit = unit;
        this.fragmentPath = fragmentPath;
        this.facts = new HostFacts(new RootFs(root));
    }

    /** Specifiers of the system manager for {@code unitName}, host facts read under {@code root}. */
    public static Specifiers forSystemUnit(String unitName, Path root) {
        return new Specifiers(UnitName.parse(unitName), null, Objects.requireNonNull(root, "root"));
    }

    /** As {@link #forSystemUnit}, with the unit's fragment path for %y and %Y. */
    public static Specifiers forSystemUnit(EffectiveUnit unit, Path root) {
        return new Specifiers(UnitName.parse(unit.name()),
                unit.fragmentPath().map(Path::toString).orElse(null), Objects.requireNonNull(root, "root"));
    }

    /**
     * {@code unit} with the specifiers of its settings resolved, as systemd does while it loads the unit. An
     * assignment whose specifiers cannot be resolved is left out with a warning naming its file and line, as
     * systemd ignores it.
     */
    public EffectiveUnit resolveAll(EffectiveUnit unit) {
        EffectiveUnit.Builder builder = EffectiveUnit.builder(unit);
        unit.fragmentPath().ifPresent(builder::fragmentPath);
        unit.dropInPaths().forEach(builder::dropInPath);
        unit.warnings().forEach(builder::warning);
        for (Assignment a : unit.assignments()) {
            if (a.value().indexOf('%') < 0) {
                builder.add(a);
                continue;
            }
            try {
                builder.add(new Assignment(a.section(), a.key(), resolve(a.value()), a.location()));
            } catch (IllegalArgumentException e) {
                builder.warning(new Diagnostic(a.location(),
                        "Failed to resolve unit specifiers in " + a.value() + ", ignoring: " + e.getMessage()));
            }
        }
        return builder.build();
    }

    /** Whether {@code %c} is a specifier systemd 252 knows in unit settings. */
    static boolean isKnown(char c) {
        return TABLE.containsKey(c);
    }

    /** {@code value} with every specifier replaced; an unknown or unresolvable specifier is an error. */
    public String resolve(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i >= value.length()) {
                out.append('%'); // systemd 252 keeps a trailing '%' as it is
                break;
            }
            out.append(resolveOne(value.charAt(i), value));
        }
        return out.toString();
    }

    private String resolveOne(char specifier, String value) {
        Function<Specifiers, String> resolver = TABLE.get(specifier);
        if (resolver == null) {
            throw new IllegalArgumentException("unknown specifier %" + specifier + " in \"" + value + "\"");
        }
        try {
            return resolver.apply(this);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot resolve %" + specifier + " for " + unit + ": " + e.getMessage());
        }
    }

    private String instance() {
        return unit.instance() == null ? "" : unit.instance();
    }

    private String fragment() {
        if (fragmentPath == null) {
            throw new IllegalArgumentException("the unit has no fragment file");
        }
        return fragmentPath;
    }

    private String prettyHostname() {
        String pretty = facts.prettyHostname();
        return pretty.isEmpty() ? shortName(facts.hostname()) : pretty;
    }

    private static String lastComponent(String prefix) {
        return prefix.substring(prefix.lastIndexOf('-') + 1);
    }

    private static String shortName(String hostname) {
        int dot = hostname.indexOf('.');
        return dot < 0 ? hostname : hostname.substring(0, dot);
    }

    private static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip().replace("-", "");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read /proc/sys/kernel/random/boot_id");
        }
    }

    /** systemd's architecture names for the JVM's os.arch values. */
    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "x86";
            case "ppc64le" -> "ppc64-le";
            default -> arch;
        };
    }
}
