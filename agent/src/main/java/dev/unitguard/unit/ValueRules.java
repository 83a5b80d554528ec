package dev.unitguard.unit;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * systemd 252's parsers for single values and name lists: {@code config_parse_bool}, the enum parsers,
 * {@code config_parse_mode}, {@code config_parse_namespace_flags}, {@code config_parse_syscall_archs},
 * {@code config_parse_capability_set}, {@code config_parse_address_families}, {@code config_parse_syscall_errno}.
 * The warning texts are systemd's own.
 */
final class ValueRules {

    /** The architecture names of systemd 252's {@code seccomp_arch_from_string()}. */
    static final Set<String> ARCHITECTURES = Set.of("native", "x86", "x86-64", "x32", "arm", "arm64", "mips",
            "mips64", "mips64-n32", "mips-le", "mips64-le", "mips64-le-n32", "parisc", "parisc64", "ppc", "ppc64",
            "ppc64-le", "riscv64", "s390", "s390x");
    /** The namespace names of systemd 252's {@code namespace_flags_from_string()}. */
    static final Set<String> NAMESPACES = Set.of("cgroup", "ipc", "net", "mnt", "pid", "user", "uts", "time");

    private ValueRules() {
    }

    /** systemd's {@code parse_boolean()}: null when {@code value} is no boolean. */
    static Boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> Boolean.TRUE;
            case "0", "no", "n", "false", "f", "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    static ValueRule bool() {
        return (value, out) -> {
            if (parseBoolean(value) == null) {
                out.ignore("Failed to parse boolean value, ignoring: " + value);
            }
        };
    }

    /** A boolean, or empty for the default ({@code config_parse_tristate}). */
    static ValueRule tristate() {
        ValueRule bool = bool();
        return (value, out) -> {
            if (!value.isEmpty()) {
                bool.check(value, out);
            }
        };
    }

    /** A boolean whose invalid value makes the unit fail to load ({@code DynamicUser=}). */
    static ValueRule fatalBool() {
        return (value, out) -> {
            if (parseBoolean(value) == null) {
                out.fail("Failed to parse boolean value: " + value);
            }
        };
    }

    /** A boolean or one of {@code names} (exact case), as ProtectSystem= and ProtectHome= take. */
    static ValueRule booleanOr(String what, String... names) {
        List<String> known = List.of(names);
        return (value, out) -> {
            if (parseBoolean(value) == null && !known.contains(value)) {
                out.ignore("Failed to parse " + what + ", ignoring: " + value);
            }
        };
    }

    /** One of {@code names}, exact case (systemd's string tables). */
    static ValueRule oneOf(String what, String... names) {
        List<String> known = List.of(names);
        return (value, out) -> {
            if (!known.contains(value)) {
                out.ignore("Failed to parse " + what + ", ignoring: " + value);
            }
        };
    }

    /** An octal file mode up to 07777 ({@code parse_mode()}). */
    static ValueRule mode() {
        return (value, out) -> {
            String digits = value.replaceFirst("^0+(?=.)", "");
            if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '7') || digits.length() > 4
                    || Integer.parseInt(digits, 8) > 07777) {
                out.ignore("Failed to parse mode value, ignoring: " + value);
            }
        };
    }

    /** RestrictNamespaces=: empty, a boolean, or namespace names, all of them known, optionally after {@code ~}. */
    static ValueRule namespaces() {
        return (value, out) -> {
            if (value.isEmpty() || parseBoolean(value) != null) {
                return;
            }
            String names = value.startsWith("~") ? value.substring(1) : value;
            if (!Words.splitPlain(names).stream().allMatch(NAMESPACES::contains)) {
                out.ignore("Failed to parse namespace type string, ignoring: " + value);
            }
        };
    }

    static ValueRule architectures() {
        return (value, out) -> unquotedWords(value, out, word -> {
            if (!ARCHITECTURES.contains(word)) {
                out.skip("Failed to parse system call architecture \"" + word + "\", ignoring: Invalid argument");
            }
        });
    }

    /**
     * CapabilityBoundingSet= and AmbientCapabilities=: names (any case) or numbers of capabilities the real
     * binaries know, optionally after {@code ~}. systemd 252 drops an unknown name with a debug message only;
     * unitguard reports it, so a typo does not silently narrow or widen a set.
     */
    static ValueRule capabilities() {
        return (value, out) -> unquotedWords(value.startsWith("~") ? value.substring(1) : value, out, word -> {
            boolean known = SystemdNames.CAPABILITIES.contains(word.toLowerCase(Locale.ROOT))
                    || (word.matches("[0-9]{1,2}") && Integer.parseInt(word) < SystemdNames.CAPABILITIES.size());
            if (!known) {
                out.skip("Failed to parse capability, ignoring: " + word);
            }
        });
    }

    /** RestrictAddressFamilies=: empty, {@code none}, or AF_* names (any case), optionally after {@code ~}. */
    static ValueRule addressFamilies() {
        return (value, out) -> {
            if (value.isEmpty() || value.equals("none")) {
                return;
            }
            unquotedWords(value.startsWith("~") ? value.substring(1) : value, out, word -> {
                if (!SystemdNames.ADDRESS_FAMILIES.contains(word.toUpperCase(Locale.ROOT))) {
                    out.skip("Failed to parse address family, ignoring: " + word);
                }
            });
        };
    }

    /** SystemCallErrorNumber=: empty, {@code kill}, an errno name (any case) or a number 1..4095. */
    static ValueRule syscallErrno() {
        return (value, out) -> {
            if (value.isEmpty() || value.equals("kill")) {
                return;
            }
            OptionalLong number = Numbers.strtol(value);
            if (number.isPresent() && number.getAsLong() == 0) {
                out.ignore("Invalid error number, ignoring: " + value);
            } else if (!isErrno(value)) {
                out.ignore("Failed to parse error number, ignoring: " + value);
            }
        };
    }

    /** systemd's {@code parse_errno()}: an errno name in any case, or a number 0..4095 as strtol reads it. */
    static boolean isErrno(String value) {
        OptionalLong number = Numbers.strtol(value);
        return SystemdNames.ERRNO_NAMES.contains(value.toUpperCase(Locale.ROOT))
                || (number.isPresent() && number.getAsLong() >= 0 && number.getAsLong() <= 4095);
    }

    /** Calls {@code each} for every word (quotes and escapes resolved); an unbalanced quote ignores the value. */
    static void unquotedWords(String value, ValueCheck out, java.util.function.Consumer<String> each) {
        List<String> words = out.words(value, "Invalid syntax, ignoring: ");
        if (words != null) {
            words.forEach(each);
        }
    }
}
