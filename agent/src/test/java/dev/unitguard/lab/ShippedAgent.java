package dev.unitguard.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent installed in a lab as it ships: units/unitguard.service, with a drop-in pointing ExecStart= at the jar
 * built into target/ (bound at /opt/unitguard), and the group unitguard. The one way the ITs that start the real
 * agent through systemd install it.
 */
public final class ShippedAgent {

    private ShippedAgent() {
    }

    /** Installs the unit and its drop-in, creates the group and reloads systemd; does not start the agent. */
    public static void install(Lab lab) {
        try {
            lab.writeFile("/etc/systemd/system/unitguard.service",
                    Files.readString(Path.of("../units/unitguard.service")), "644", "root:root");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lab.writeFile("/etc/systemd/system/unitguard.service.d/50-lab.conf", """
                [Service]
                ExecStart=
                ExecStart=/usr/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/var/cache/unitguard \
                -jar /opt/unitguard/unitguard.jar agent
                """, "644", "root:root");
        lab.exec("sh", "-c", "getent group unitguard || groupadd --system unitguard").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
    }

    /** As {@link #install(Lab)}, with {@code config} (JSON) as /etc/unitguard/agent.json. */
    public static void install(Lab lab, String config) {
        lab.writeFile("/etc/unitguard/agent.json", config, "644", "root:root");
        install(lab);
    }

    /**
     * Undoes a test's traces: stops the agent and {@code units}, clears their failed state, removes {@code paths}
     * (recursively) and reloads systemd. Best effort: what is already gone is no failure.
     */
    public static void uninstall(Lab lab, List<String> units, String... paths) {
        List<String> all = new ArrayList<>(List.of("unitguard.service"));
        all.addAll(units);
        lab.exec(command("systemctl", "stop", all));
        lab.exec(command("systemctl", "reset-failed", all));
        if (paths.length > 0) {
            lab.exec(command("rm", "-rf", List.of(paths)));
        }
        lab.exec("systemctl", "daemon-reload");
    }

    private static String[] command(String program, String verb, List<String> arguments) {
        List<String> argv = new ArrayList<>(List.of(program, verb));
        argv.addAll(arguments);
        return argv.toArray(String[]::new);
    }

    /** The agent's main PID inside the lab; fails when it does not run. */
    public static long mainPid(Lab lab) {
        long pid = Long.parseLong(lab.exec("systemctl", "show", "-P", "MainPID", "unitguard.service")
                .requireSuccess().stdout().strip());
        if (pid == 0) {
            throw new AssertionError("unitguard.service has no main process: " + lab.exec("systemctl", "status",
                    "unitguard.service"));
        }
        return pid;
    }
}
