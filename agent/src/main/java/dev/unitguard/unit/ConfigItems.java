package dev.unitguard.unit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configuration keys systemd 252 knows, per section, as dumped by {@code systemd --dump-configuration-items}
 * (resource {@code config-items-252.txt}), and which sections each unit type reads.
 */
final class ConfigItems {

    /** Unit types of systemd 252 (unit_type_table). */
    static final Set<String> UNIT_TYPES = Set.of(
            "service", "mount", "swap", "socket", "target", "device", "automount", "timer", "path", "slice", "scope");

    private static final ConfigItems SYSTEMD_252 = load("config-items-252.txt");

    private final Map<String, Set<String>> keysBySection;

    private ConfigItems(Map<String, Set<String>> keysBySection) {
        this.keysBySection = keysBySection;
    }

    static ConfigItems systemd252() {
        return SYSTEMD_252;
    }

    /** Whether a unit of {@code type} reads {@code section}: [Unit], [Install] and its own ([Service] ...). */
    boolean sectionKnown(String type, String section) {
        return section.equals("Unit") || section.equals("Install") || section.equals(sectionOf(type));
    }

    boolean keyKnown(String section, String key) {
        return keysBySection.getOrDefault(section, Set.of()).contains(key);
    }

    static String sectionOf(String type) {
        return type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1);
    }

    private static ConfigItems load(String resource) {
        Map<String, Set<String>> keys = new HashMap<>();
        Set<String> current = null;
        for (String line : GeneratedTable.lines(ConfigItems.class, resource)) {
            if (line.startsWith("[") && line.endsWith("]")) {
                current = keys.computeIfAbsent(line.substring(1, line.length() - 1), s -> new HashSet<>());
            } else if (current != null && line.indexOf('=') > 0) {
                current.add(line.substring(0, line.indexOf('=')));
            }
        }
        return new ConfigItems(Map.copyOf(keys));
    }
}
