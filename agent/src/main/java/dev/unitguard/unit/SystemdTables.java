package dev.unitguard.unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data tables the exposure score and the sandbox model need, generated from each supported release's real binaries by
 * packaging/gen-tables.sh (see the headers of the resources, named {@code *-NNN.txt} by release): the system call
 * groups, libseccomp's system call numbers for this machine's architecture, the capability names, and the address
 * family names (kernel ABI, one table for all releases).
 */
public final class SystemdTables {

    /** Where packaging/gen-tables.sh writes the tables (the exposure score read them first). */
    private static final String TABLES = "/dev/unitguard/exposure/";

    private static final Map<SystemdVersion, SystemdTables> BY_VERSION = new ConcurrentHashMap<>();

    private final Map<String, List<String>> syscallGroups;
    private final Map<String, Integer> syscallNumbers;
    private final Map<String, Integer> capabilities;
    private final Map<String, Integer> addressFamilies;

    private SystemdTables(Map<String, List<String>> syscallGroups, Map<String, Integer> syscallNumbers,
                           Map<String, Integer> capabilities, Map<String, Integer> addressFamilies) {
        this.syscallGroups = syscallGroups;
        this.syscallNumbers = syscallNumbers;
        this.capabilities = capabilities;
        this.addressFamilies = addressFamilies;
    }

    /** systemd 252's tables: the capability and address family numbers (kernel ABI, the same in every release). */
    public static SystemdTables get() {
        return of(SystemdVersion.V252);
    }

    /** The tables generated from a supported release's binaries ({@code *-NNN.txt}). */
    public static SystemdTables of(SystemdVersion version) {
        return BY_VERSION.computeIfAbsent(version, v -> load(nativeArchitecture(), v));
    }

    /** The members of a system call group such as {@code @mount}, in systemd's order; empty when unknown. */
    public List<String> syscallGroup(String name) {
        return syscallGroups.getOrDefault(name, List.of());
    }

    public boolean isSyscallGroup(String name) {
        return syscallGroups.containsKey(name);
    }

    /** libseccomp's number for a system call name: negative for a pseudo number, empty when libseccomp does not know it. */
    public OptionalInt syscallNumber(String name) {
        Integer number = syscallNumbers.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    /** libseccomp's name for system call {@code number} on this architecture; empty when it knows none. */
    public Optional<String> syscallName(int number) {
        return syscallNumbers.entrySet().stream().filter(e -> e.getValue() == number).map(Map.Entry::getKey)
                .sorted().findFirst();
    }

    /** The groups holding {@code syscall}, directly or through a nested group, smallest first (then by name). */
    public List<String> groupsWith(String syscall) {
        return syscallGroups.keySet().stream().filter(g -> expand(g).contains(syscall))
                .sorted(java.util.Comparator.comparingInt((String g) -> expand(g).size())
                        .thenComparing(java.util.Comparator.naturalOrder()))
                .toList();
    }

    /** Every system call of a group with its nested groups expanded, in systemd's order; empty when unknown. */
    public Set<String> expand(String group) {
        Set<String> out = new LinkedHashSet<>();
        for (String member : syscallGroup(group)) {
            if (member.startsWith("@")) {
                out.addAll(expand(member));
            } else {
                out.add(member);
            }
        }
        return out;
    }

    /** A capability by name (any case, as systemd's lookup) or by number; empty when unknown. */
    public OptionalInt capability(String name) {
        if (!name.isEmpty() && digits(name)) {
            try {
                int number = Integer.parseInt(name);
                return number < capabilities.size() ? OptionalInt.of(number) : OptionalInt.empty();
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        Integer number = capabilities.get(name.toLowerCase(Locale.ROOT));
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The name of capability {@code number} ({@code cap_sys_admin}); the number itself when unknown. */
    public String capabilityName(int number) {
        return capabilities.entrySet().stream().filter(e -> e.getValue() == number).map(Map.Entry::getKey)
                .findFirst().orElse(Integer.toString(number));
    }

    /** An address family such as {@code AF_INET6} by its exact name; empty when unknown. */
    public OptionalInt addressFamily(String name) {
        Integer number = addressFamilies.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    public static String nativeArchitecture() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x86_64";
    }

    static SystemdTables load(String architecture, SystemdVersion version) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines("syscall-filter-groups-" + version + ".txt")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@")) {
                current = new ArrayList<>();
                groups.put(trimmed, current);
            } else if (current != null) {
                current.add(trimmed);
            }
        }
        groups.replaceAll((name, members) -> List.copyOf(members));
        return new SystemdTables(Map.copyOf(groups), pairs("syscalls-" + architecture + "-" + version + ".txt"),
                pairs("capabilities-" + version + ".txt"), pairs("address-families.txt"));
    }

    private static Map<String, Integer> pairs(String resource) {
        Map<String, Integer> map = new HashMap<>();
        for (String[] fields : rows(resource, "\\s+")) {
            if (fields.length == 2) {
                map.put(fields[0], Integer.parseInt(fields[1]));
            }
        }
        return Map.copyOf(map);
    }

    /** The lines of a generated table that are not comments or blank, split at {@code separator}. */
    public static List<String[]> rows(String resource, String separator) {
        return lines(resource).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.split(separator)).toList();
    }

    private static List<String> lines(String resource) {
        return GeneratedTable.lines(SystemdTables.class, TABLES + resource);
    }
}
