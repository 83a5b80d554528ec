package dev.unitguard.api;

import dev.unitguard.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real agent in a lab: the shipped unit with this build's jar, the unitguard group and the kanakku user. */
final class AgentLab {

    private AgentLab() {
    }

    /** Installs units/unitguard.service with a drop-in that runs target/unitguard.jar; does not start it. */
    static void installAgent(Lab lab) {
        try {
            lab.writeFile("/etc/systemd/system/unitguard.service",
                    Files.readString(Path.of("../units/unitguard.service")), "644", "root:root");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lab.writeFile("/etc/systemd/system/unitguard.service.d/50-lab.conf", """
                [Service]
                ExecStart=
                ExecStart=/usr/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
                -Djava.io.tmpdir=/var/cache/unitguard -jar /opt/unitguard/unitguard.jar agent
                """, "644", "root:root");
        lab.exec("sh", "-c", "getent group unitguard || groupadd --system unitguard").requireSuccess();
        if (lab.exec("id", "kanakku").exitCode() != 0) {
            lab.exec("groupadd", "--system", "kanakku").requireSuccess();
            lab.exec("useradd", "--system", "-g", "kanakku", "--no-create-home", "--home-dir", "/home/kanakku",
                    "--shell", "/usr/sbin/nologin", "kanakku").requireSuccess();
        }
    }

    /** Stops the agent and {@code unit}, removes the unit's drop-ins and the agent's state. */
    static void uninstall(Lab lab, String unit) {
        lab.exec("systemctl", "stop", "unitguard.service", unit);
        lab.exec("systemctl", "reset-failed", "unitguard.service", unit);
        lab.exec("rm", "-rf", "/etc/systemd/system/" + unit + ".d", "/var/lib/unitguard");
        lab.exec("systemctl", "daemon-reload");
    }
}
