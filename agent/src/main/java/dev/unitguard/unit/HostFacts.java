package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The files under a root that specifiers read: os-release, hostname, machine-id, machine-info. */
final class HostFacts {

    private final RootFs fs;

    HostFacts(RootFs fs) {
        this.fs = fs;
    }

    /** A field of /etc/os-release (or /usr/lib/os-release); empty when the field is absent. */
    String osRelease(String field) {
        for (String file : List.of("/etc/os-release", "/usr/lib/os-release")) {
            String real = fs.chase(file);
            if (real != null && Files.isRegularFile(fs.host(real))) {
                return envFile(fs.host(real)).getOrDefault(field, "");
            }
        }
        throw new IllegalArgumentException("cannot read " + fs.host("/etc/os-release") + " or "
                + fs.host("/usr/lib/os-release"));
    }

    String hostname() {
        String name = firstLine("/etc/hostname");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(fs.host("/etc/hostname") + " is empty");
        }
        return name;
    }

    String machineId() {
        String id = firstLine("/etc/machine-id");
        if (!id.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException(fs.host("/etc/machine-id") + " does not hold a machine ID");
        }
        return id;
    }

    /** PRETTY_HOSTNAME of /etc/machine-info, or empty. */
    String prettyHostname() {
        String real = fs.chase("/etc/machine-info");
        return real == null ? "" : envFile(fs.host(real)).getOrDefault("PRETTY_HOSTNAME", "");
    }

    private String firstLine(String file) {
        Path host = fs.host(file);
        try {
            List<String> lines = Files.readAllLines(host);
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + host);
        }
    }

    private static Map<String, String> envFile(Path file) {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    List<String> words = Words.split(line.substring(eq + 1));
                    values.put(line.substring(0, eq).strip(), words.isEmpty() ? "" : String.join(" ", words));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        return values;
    }
}
