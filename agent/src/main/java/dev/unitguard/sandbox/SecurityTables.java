package dev.unitguard.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The data tables the exposure score needs, generated from the real binaries (see the headers of the resources and
 * {@code src/test/resources/score/generate-security-tables.sh}): systemd 252's system call groups, libseccomp's
 * system call numbers for this machine's architecture, the capability names and the address family names.
 */
final class SecurityTables {

    private static final SecurityTables INSTANCE = load(nativeArchitecture());

    private final Map<String, List<String>> syscallGroups;
    private final Map<String, Integer> syscallNumbers;
    private final Map<String, Integer> capabilities;
    private final Map<String, Integer> addressFamilies;

    private SecurityTables(Map<String, List<String>> syscallGroups, Map<String, Integer> syscallNumbers,
                           Map<String, Integer> capabilities, Map<String, Integer> addressFamilies) {
        this.syscallGroups = syscallGroups;
        this.syscallNumbers = syscallNumbers;
        this.capabilities = capabilities;
        this.addressFamilies = addressFamilies;
    }

    static SecurityTables get() {
        return INSTANCE;
    }

    /** The members of a system call group such as {@code @mount}, in systemd's order; empty when unknown. */
    List<String> syscallGroup(String name) {
        return syscallGroups.getOrDefault(name, List.of());
    }

    boolean isSyscallGroup(String name) {
        return syscallGroups.containsKey(name);
    }

    /** libseccomp's number for a system call name: negative for a pseudo number, empty when libseccomp does not know it. */
    OptionalInt syscallNumber(String name) {
        Integer number = syscallNumbers.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    /** A capability by name (any case, as systemd's lookup) or by number; empty when unknown. */
    OptionalInt capability(String name) {
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
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

    /** The name of capability {@code number} ({@code cap_sys_admin}); the number itself when unknown. */
    String capabilityName(int number) {
        return capabilities.entrySet().stream().filter(e -> e.getValue() == number).map(Map.Entry::getKey)
                .findFirst().orElse(Integer.toString(number));
    }

    /** An address family such as {@code AF_INET6} by its exact name; empty when unknown. */
    OptionalInt addressFamily(String name) {
        Integer number = addressFamilies.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    static String nativeArchitecture() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x86_64";
    }

    static SecurityTables load(String architecture) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines("syscall-filter-groups.txt")) {
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
        return new SecurityTables(Map.copyOf(groups), pairs("syscalls-" + architecture + ".txt"),
                pairs("capabilities.txt"), pairs("address-families.txt"));
    }

    private static Map<String, Integer> pairs(String resource) {
        Map<String, Integer> map = new HashMap<>();
        for (String line : lines(resource)) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2 && !fields[0].startsWith("#")) {
                map.put(fields[0], Integer.parseInt(fields[1]));
            }
        }
        return Map.copyOf(map);
    }

    private static List<String> lines(String resource) {
        try (InputStream in = SecurityTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/unitguard/sandbox/" + resource);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource dev/unitguard/sandbox/" + resource, e);
        }
    }
}
