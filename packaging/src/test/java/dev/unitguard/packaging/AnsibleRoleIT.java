package dev.unitguard.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * packaging/ansible/site.yml with the role unitguard, run by Debian's ansible-core inside a fresh Debian 13 lab
 * (connection local): the first run installs the built .deb, configures and starts the agent and applies a hardening
 * change; check mode changes nothing; a second run changes nothing (changed=0); a third run whose hardening breaks
 * the unit is rolled back by the agent, fails the host, and serial + max_fail_percentage: 0 stop the roll-out before
 * the next host. Runs in a Debian 13 lab rather than the host's 252 one: the role installs the .deb, and that needs a
 * writable /usr.
 */
@LabTest(version = 257)
class AnsibleRoleIT {

    private static final Path ANSIBLE = Path.of("ansible");
    private static final String IN_LAB = "/srv/ansible";
    private static final Duration PLAYBOOK_TIMEOUT = Duration.ofMinutes(10);
    private static final String SOCKET = "/run/unitguard/agent.sock";

    private final Path target = Path.of(System.getProperty("unitguard.lab.target", "target")).toAbsolutePath();
    private Lab lab;

    @Test
    void rollOut_isIdempotent_andStopsOnTheFirstRolledBackHost(Lab lab) throws IOException {
        this.lab = lab;
        BuiltDeb deb = BuiltDeb.in(target);
        String debInLab = deb.in(target, "/opt/unitguard");
        lab.exec("umount", "/etc/systemd/system-preset").requireSuccess();
        LabApt.download(lab, debInLab, "ansible-core", "python3-apt", "curl");
        LabApt.aptGet(lab, "install", "ansible-core", "python3-apt", "curl").requireSuccess();
        copyIntoLab(ANSIBLE, IN_LAB);
        lab.writeFile(IN_LAB + "/one.ini", "[unitguard_hosts]\nlab-a ansible_connection=local\n", "644", "root:root");
        lab.writeFile(IN_LAB + "/two.ini", "[unitguard_hosts]\nlab-a ansible_connection=local\n"
                + "lab-b ansible_connection=local\n", "644", "root:root");
        // A service that writes /srv/app/data when it starts: ProtectSystem=strict without ReadWritePaths= breaks it.
        lab.writeFile("/etc/systemd/system/app.service", """
                [Service]
                ExecStart=/bin/sh -c 'touch /srv/app/data/started && exec sleep infinity'
                """, "644", "root:root");
        lab.exec("mkdir", "-p", "/srv/app/data").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "app.service").requireSuccess();
        String good = "{\"unitguard_deb\": \"" + debInLab + "\", \"unitguard_unit\": \"app.service\", "
                + "\"unitguard_set\": {\"ProtectSystem\": \"strict\", \"ReadWritePaths\": \"/srv/app/data\", "
                + "\"PrivateTmp\": \"yes\"}}";
        String breaking = "{\"unitguard_unit\": \"app.service\", "
                + "\"unitguard_set\": {\"ProtectSystem\": \"strict\", \"PrivateTmp\": \"yes\"}}";
        lab.writeFile(IN_LAB + "/good.json", good, "644", "root:root");
        lab.writeFile(IN_LAB + "/breaking.json", breaking, "644", "root:root");

        ExecResult first = playbook("one.ini", "good.json");
        assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
        assertTrue(recap(first, "lab-a").changed() > 0, first.stdout());
        assertEquals("active", lab.exec("systemctl", "is-active", "unitguard.service").stdout().strip());
        assertEquals("active", lab.exec("systemctl", "is-active", "app.service").stdout().strip());
        assertTrue(dropIn().contains("ReadWritePaths=/srv/app/data"), dropIn());
        assertEquals(1, appliedEntries());

        ExecResult second = playbook("one.ini", "good.json");
        assertEquals(0, second.exitCode(), second.stdout() + second.stderr());
        assertEquals(0, recap(second, "lab-a").changed(), "idempotent:\n" + second.stdout());
        assertEquals(1, appliedEntries(), "nothing applied again");

        ExecResult checkSame = playbook("one.ini", "good.json", "--check");
        assertEquals(0, checkSame.exitCode(), checkSame.stdout() + checkSame.stderr());
        assertEquals(0, recap(checkSame, "lab-a").changed(), checkSame.stdout());
        ExecResult checkOther = playbook("one.ini", "breaking.json", "--check");
        assertEquals(0, checkOther.exitCode(), checkOther.stdout() + checkOther.stderr());
        assertEquals(1, recap(checkOther, "lab-a").changed(), "check mode predicts the change:\n" + checkOther.stdout());
        assertTrue(dropIn().contains("ReadWritePaths=/srv/app/data"), "check mode wrote nothing: " + dropIn());

        ExecResult third = playbook("two.ini", "breaking.json");
        assertEquals(2, third.exitCode(), "a failed host fails the run:\n" + third.stdout() + third.stderr());
        assertEquals(1, recap(third, "lab-a").failed(), third.stdout());
        assertTrue(third.stdout().contains("rolled_back"), third.stdout());
        assertFalse(third.stdout().contains("[lab-b]"), "the roll-out stopped before lab-b:\n" + third.stdout());
        assertTrue(dropIn().contains("ReadWritePaths=/srv/app/data"), "rolled back: " + dropIn());
        assertEquals("active", lab.exec("systemctl", "is-active", "app.service").stdout().strip());
        assertEquals(1, appliedEntries());
    }

    private ExecResult playbook(String inventory, String vars, String... more) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "LC_ALL=C.UTF-8", "HOME=/root",
                "ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0", "ansible-playbook", "-i",
                IN_LAB + "/" + inventory, "-e", "@" + IN_LAB + "/" + vars));
        command.addAll(List.of(more));
        command.add(IN_LAB + "/site.yml");
        return lab.exec(PLAYBOOK_TIMEOUT, new byte[0], command.toArray(String[]::new));
    }

    /** The counts of PLAY RECAP's line for {@code host}. */
    private static Recap recap(ExecResult run, String host) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(host)
                + "\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)").matcher(run.stdout());
        assertTrue(m.find(), "no PLAY RECAP line for " + host + ":\n" + run.stdout() + run.stderr());
        return new Recap(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(4)));
    }

    private record Recap(int changed, int failed) {
    }

    private String dropIn() {
        return lab.exec("cat", "/etc/systemd/system/app.service.d/50-unitguard.conf").stdout();
    }

    /** History entries of app.service whose outcome is applied (the agent's record, not Ansible's). */
    private long appliedEntries() {
        String history = lab.exec("curl", "-fsS", "--max-time", "30", "--unix-socket", SOCKET,
                "http://localhost/v1/units/app.service/history").requireSuccess().stdout();
        return Pattern.compile("\"outcome\"\\s*:\\s*\"(APPLIED|applied)\"").matcher(history).results().count();
    }

    private void copyIntoLab(Path from, String to) throws IOException {
        Path root = lab.root();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path dest = root.resolve(to.substring(1)).resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(file, dest);
                }
            }
        }
    }
}
