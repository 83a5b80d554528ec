package dev.unitguard.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real daemon from Debian's packages in a lab: the package is installed on the host without being started (a
 * {@code policy-rc.d} that exits 101, removed afterwards if this class wrote it), since the lab's {@code /usr} is the
 * host's; its users, configuration and state are copied into the lab's own {@code /etc} and {@code /var}. When the
 * package cannot be installed the test is aborted with the reason: skipped, never passed.
 */
public final class DebianDaemon {

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Path POLICY = Path.of("/usr/sbin/policy-rc.d");

    private DebianDaemon() {
    }

    /** Installs {@code packages} on the host unless they are installed; aborts the test when that fails. */
    public static synchronized void requireInstalled(String... packages) {
        List<String> missing = Stream.of(packages).filter(p -> !installed(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        boolean ownPolicy = !Files.exists(POLICY);
        try {
            if (ownPolicy) {
                Files.writeString(POLICY, "#!/bin/sh\nexit 101\n");
                POLICY.toFile().setExecutable(true);
            }
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq",
                    "--no-install-recommends"));
            install.addAll(missing);
            ExecResult result = HostCommand.run(install, new byte[0], INSTALL_TIMEOUT);
            if (!result.succeeded()) {
                HostCommand.run(List.of("apt-get", "update", "-qq"), new byte[0], INSTALL_TIMEOUT);
                result = HostCommand.run(install, new byte[0], INSTALL_TIMEOUT);
            }
            List<String> still = missing.stream().filter(p -> !installed(p)).toList();
            String why = result.stderr().strip();
            Assumptions.assumeTrue(still.isEmpty(), () -> "Debian packages " + still + " cannot be installed: " + why);
        } catch (IOException e) {
            Assumptions.abort("cannot write " + POLICY + " to install " + missing + ": " + e.getMessage());
        } finally {
            if (ownPolicy) {
                POLICY.toFile().delete();
            }
        }
    }

    private static boolean installed(String pkg) {
        ExecResult status = HostCommand.run(List.of("dpkg-query", "-W", "-f", "${Status}", pkg), new byte[0],
                Duration.ofSeconds(30));
        return status.succeeded() && status.stdout().strip().equals("install ok installed");
    }

    /**
     * Copies the host's accounts of {@code users} (their passwd and group lines) and the files under {@code paths}
     * (owners, modes and links kept) into the lab.
     */
    public static void copyInto(Lab lab, List<String> users, List<String> paths) {
        try {
            append(lab, "etc/passwd", lines(Path.of("/etc/passwd"), users));
            append(lab, "etc/group", lines(Path.of("/etc/group"), users));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy the accounts " + users + " into " + lab + ": " + e, e);
        }
        for (String path : paths) {
            HostCommand.run(List.of("cp", "-a", "--parents", path, lab.root() + "/"), new byte[0],
                    Duration.ofMinutes(1)).requireSuccess();
        }
    }

    private static List<String> lines(Path file, List<String> names) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> names.contains(l.split(":", 2)[0])).toList();
    }

    private static void append(Lab lab, String file, List<String> lines) throws IOException {
        Path target = lab.root().resolve(file);
        List<String> present = Files.readAllLines(target).stream().map(l -> l.split(":", 2)[0]).toList();
        StringBuilder add = new StringBuilder();
        lines.stream().filter(l -> !present.contains(l.split(":", 2)[0])).forEach(l -> add.append(l).append('\n'));
        Files.writeString(target, add.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
