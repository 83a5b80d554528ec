package dev.unitguard.packaging;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * apt inside a lab booted from a Debian root ({@code --ephemeral}, writable). The lab has no network: packages are
 * first downloaded into its /var/cache/apt/archives from the mirror its /etc/apt/sources.list names (packaging/lab-root.sh
 * took it from this machine's apt sources) with the host's network ({@link Lab#execWithHostNetwork}); installing
 * them then runs inside the container as on a host, with systemd as PID 1 seeing every maintainer script.
 * Recommends are left out: the package's own Depends must be enough.
 */
final class LabApt {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    /** What apt prints when it cannot reach a mirror (its exit code does not tell: update exits 0 then). */
    private static final List<String> NETWORK_SYMPTOMS = List.of("Temporary failure resolving", "Could not resolve",
            "Could not connect", "Unable to connect", "Failed to fetch", "Network is unreachable");

    private LabApt() {
    }

    /**
     * apt-get update, then downloads (not installs) {@code packages} (names or ./file.deb) and what they depend on.
     * A mirror that cannot be reached aborts the test (skipped with apt's reason), as a lab that cannot boot does.
     */
    static void download(Lab lab, String... packages) {
        ExecResult update = lab.execWithHostNetwork("apt-get", "-q", "update");
        unreachable(update);
        update.requireSuccess();
        List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q",
                "-y", "--no-install-recommends", "--download-only", "install"));
        command.addAll(List.of(packages));
        ExecResult download = lab.execWithHostNetwork(command.toArray(String[]::new));
        if (!download.succeeded()) {
            unreachable(download);
        }
        download.requireSuccess();
    }

    private static void unreachable(ExecResult apt) {
        String said = apt.stdout() + apt.stderr();
        for (String symptom : NETWORK_SYMPTOMS) {
            if (said.contains(symptom)) {
                Assumptions.abort("the Debian mirror in the lab root's apt sources is unreachable from this machine: "
                        + said.lines().filter(l -> l.contains(symptom)).findFirst().orElse(symptom).strip());
            }
        }
    }

    /** {@code apt-get ARGS} inside the lab, non-interactive, offline: what was downloaded is all it has. */
    static ExecResult aptGet(Lab lab, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "-q",
                "-y", "--no-install-recommends", "-o", "Acquire::Retries=0"));
        command.addAll(List.of(args));
        return lab.exec(INSTALL_TIMEOUT, new byte[0], command.toArray(String[]::new));
    }
}
