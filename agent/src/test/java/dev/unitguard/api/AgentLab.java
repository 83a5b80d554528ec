package dev.unitguard.api;

import dev.unitguard.lab.Lab;
import dev.unitguard.lab.ShippedAgent;
import java.util.List;


/** The real agent in a lab: the shipped unit with this build's jar, the unitguard group and the kanakku user. */
final class AgentLab {

    private AgentLab() {
    }

    /** Installs units/unitguard.service with a drop-in that runs target/unitguard.jar; does not start it. */
    static void installAgent(Lab lab) {
        ShippedAgent.install(lab);
        if (lab.exec("id", "kanakku").exitCode() != 0) {
            lab.exec("groupadd", "--system", "kanakku").requireSuccess();
            lab.exec("useradd", "--system", "-g", "kanakku", "--no-create-home", "--home-dir", "/home/kanakku",
                    "--shell", "/usr/sbin/nologin", "kanakku").requireSuccess();
        }
    }

    /** Stops the agent and {@code unit}, removes the unit's drop-ins and the agent's state. */
    static void uninstall(Lab lab, String unit) {
        ShippedAgent.uninstall(lab, List.of(unit), "/etc/systemd/system/" + unit + ".d", "/var/lib/unitguard");
    }
}
