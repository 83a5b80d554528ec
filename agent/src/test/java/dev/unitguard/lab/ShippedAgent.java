package dev.unitguard.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped units/unitguard.service installed in a lab, with a drop-in pointing ExecStart= at the jar built into
 * target/ (bound at /opt/unitguard), and the group unitguard. For the ITs that start the real agent through systemd
 * (AgentIT and AgentApplyIT install it the same way, written out).
 */
public final class ShippedAgent {

    private ShippedAgent() {
    }

    public static void install(Lab lab) throws IOException {
        lab.writeFile("/etc/systemd/system/unitguard.service", Files.readString(Path.of("../units/unitguard.service")),
                "644", "root:root");
        lab.writeFile("/etc/systemd/system/unitguard.service.d/50-lab.conf", """
                [Service]
                ExecStart=
                ExecStart=/usr/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/var/cache/unitguard \
                -jar /opt/unitguard/unitguard.jar agent
                """, "644", "root:root");
        lab.exec("sh", "-c", "getent group unitguard || groupadd --system unitguard").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
    }
}
