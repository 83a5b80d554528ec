package dev.unitguard.unit;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names systemd 252 looks values up in, from the tables generated from the real binaries: capability names
 * ({@code systemd-analyze capability}), system call group names ({@code systemd-analyze syscall-filter}), the
 * system call names libseccomp resolves, the address family names and the errno names. The first four are the
 * exposure score's tables of systemd 252 (resources of {@code dev/unitguard/exposure}), read here by name only.
 */
final class SystemdNames {

    private static final String TABLES = "/dev/unitguard/exposure/";

    static final Set<String> CAPABILITIES = firstWords(TABLES + "capabilities-252.txt", false);
    static final Set<String> SYSCALL_GROUPS = groups(TABLES + "syscall-filter-groups-252.txt");
    static final Set<String> SYSCALLS = firstWords(TABLES + "syscalls-" + architecture() + "-252.txt", false);
    static final Set<String> ADDRESS_FAMILIES = firstWords(TABLES + "address-families.txt", true);
    static final Set<String> ERRNO_NAMES = firstWords("/dev/unitguard/unit/errno-names.txt", true);

    private SystemdNames() {
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x86_64";
    }

    /** The first word of every line that is not a comment, upper-cased when {@code upper}. */
    private static Set<String> firstWords(String resource, boolean upper) {
        Set<String> names = new HashSet<>();
        for (String line : lines(resource)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                String word = trimmed.split("\\s+")[0];
                names.add(upper ? word.toUpperCase(Locale.ROOT) : word);
            }
        }
        return Set.copyOf(names);
    }

    private static Set<String> groups(String resource) {
        Set<String> names = new HashSet<>();
        for (String line : lines(resource)) {
            if (line.startsWith("@")) {
                names.add(line.strip());
            }
        }
        return Set.copyOf(names);
    }

    private static List<String> lines(String resource) {
        return GeneratedTable.lines(SystemdNames.class, resource);
    }
}
