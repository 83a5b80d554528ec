package dev.unitguard.packaging;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * apt inside a lab booted from a Debian root ({@code --ephemeral}, writable). The lab has no network: packages are
 * first downloaded into its /var/cache/apt/archives from the mirror its /etc/apt/sources.list names (packaging/lab-root.sh
 * took it from this machine's apt sources) with the host's network ({@link Lab#execWithHostNetwork}); installing
 * them then runs inside the container as on a host, with systemd as PID 1 seeing every maintainer script.
 * Recommends are left out: the package's own Depends must be enough.
 */
final class LabApt {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private LabApt() {
    }

    /** apt-get update, then downloads (not installs) {@code packages} (names or ./file.deb) and what they depend on. */
    static void download(Lab lab, String... packages) {
        lab.execWithHostNetwork("apt-get", "-q", "update").requireSuccess();
        List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q",
                "-y", "--no-install-recommends", "--download-only", "install"));
        command.addAll(List.of(packages));
        lab.execWithHostNetwork(command.toArray(String[]::new)).requireSuccess();
    }

    /** {@code apt-get ARGS} inside the lab, non-interactive, offline: what was downloaded is all it has. */
    static ExecResult aptGet(Lab lab, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q",
                "-y", "--no-install-recommends", "-o", "Acquire::Retries=0"));
        command.addAll(List.of(args));
        return lab.exec(INSTALL_TIMEOUT, new byte[0], command.toArray(String[]::new));
    }
}
