package dev.unitguard.lab;

import dev.unitguard.unit.SystemdVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the lab gets each supported systemd from: the host's own /usr when it is that release (booted
 * {@code --volatile=yes}), else a Debian root of the release's suite, built on first use by packaging/lab-root.sh
 * (once per machine, under a lock, renamed into place when complete) under /var/lib/unitguard-lab/SUITE and booted
 * {@code --ephemeral}. {@code -Dunitguard.lab.versions=252,257} limits the releases tests boot (default: all).
 */
record LabRelease(SystemdVersion version, String suite, Path root, boolean host) {

    static final String VERSIONS_PROPERTY = "unitguard.lab.versions";
    /** The Debian suite that ships each supported release. sid moves on: its root is checked when booted. */
    private static final Map<SystemdVersion, String> SUITES = Map.of(SystemdVersion.V252, "bookworm",
            SystemdVersion.V257, "trixie", SystemdVersion.V262, "sid");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

    /** The releases this run may boot, from {@code -Dunitguard.lab.versions} (default: every supported one). */
    static List<SystemdVersion> enabled() throws LabUnavailableException {
        String property = System.getProperty(VERSIONS_PROPERTY, "").strip();
        if (property.isEmpty()) {
            return SystemdVersion.SUPPORTED;
        }
        List<SystemdVersion> versions = new ArrayList<>();
        for (String item : property.split("[,\\s]+")) {
            SystemdVersion v;
            try {
                v = SystemdVersion.parse(item);
            } catch (IllegalArgumentException e) {
                throw new LabUnavailableException("-D" + VERSIONS_PROPERTY + "=" + property + ": " + e.getMessage());
            }
            if (!v.supported()) {
                throw new LabUnavailableException("-D" + VERSIONS_PROPERTY + "=" + property + ": systemd " + v
                        + " has no lab (supported: " + SystemdVersion.SUPPORTED + ")");
            }
            versions.add(v);
        }
        return List.copyOf(versions);
    }

    /** The release to boot for {@code version}: the host's /usr or its suite's root, built here when missing. */
    static LabRelease require(SystemdVersion version) throws LabUnavailableException {
        if (!enabled().contains(version)) {
            throw new LabUnavailableException("systemd " + version + " is not among -D" + VERSIONS_PROPERTY + "="
                    + System.getProperty(VERSIONS_PROPERTY));
        }
        String suite = SUITES.get(version);
        if (suite == null) {
            throw new LabUnavailableException("systemd " + version + " has no lab (supported: "
                    + SystemdVersion.SUPPORTED + ")");
        }
        if (version.equals(installed(Path.of("/")).orElse(null))) {
            return new LabRelease(version, suite, Path.of("/"), true);
        }
        Path root = rootsDirectory().resolve(suite);
        if (!Files.isDirectory(root)) {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new LabUnavailableException("the Debian " + suite + " root for systemd " + version + " is not "
                        + "built yet and building it needs root (packaging/lab-root.sh " + suite + ")");
            }
            build(suite);
        }
        Optional<SystemdVersion> found = installed(root);
        if (!found.equals(Optional.of(version))) {
            throw new LabUnavailableException(root + " holds systemd " + found.map(String::valueOf).orElse("none")
                    + ", not " + version + " (Debian " + suite + " moved on: remove the root to rebuild it, or run "
                    + "without systemd " + version + ")");
        }
        return new LabRelease(version, suite, root, false);
    }

    /** The environment systemd-nspawn needs: 262 refuses the host's cgroup v1 layout without a unified hierarchy. */
    Map<String, String> nspawnEnvironment() {
        return host ? Map.of() : Map.of("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1");
    }

    static Path rootsDirectory() {
        return Path.of(System.getProperty("unitguard.lab.roots", "/var/lib/unitguard-lab"));
    }

    private static Optional<SystemdVersion> installed(Path root) throws LabUnavailableException {
        try {
            return SystemdVersion.ofRoot(root);
        } catch (IOException e) {
            throw new LabUnavailableException("cannot read the systemd version under " + root + ": " + e.getMessage(), e);
        }
    }

    private static void build(String suite) throws LabUnavailableException {
        Path script = script();
        long start = System.nanoTime();
        ExecResult result = HostCommand.run(List.of("bash", script.toString(), suite, rootsDirectory().toString()),
                new byte[0], BUILD_TIMEOUT);
        if (!result.succeeded()) {
            throw new LabUnavailableException("building the Debian " + suite + " root failed (" + script + " exited "
                    + "with " + result.exitCode() + "): " + result.stderr().strip());
        }
        System.err.printf("lab: built the Debian %s root under %s in %d s%n", suite, rootsDirectory(),
                Duration.ofNanos(System.nanoTime() - start).toSeconds());
    }

    /** packaging/lab-root.sh of this checkout, found from the working directory upwards. */
    private static Path script() throws LabUnavailableException {
        String property = System.getProperty("unitguard.lab.rootScript");
        if (property != null) {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("packaging/lab-root.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new LabUnavailableException("packaging/lab-root.sh not found above " + Path.of("").toAbsolutePath());
    }
}
