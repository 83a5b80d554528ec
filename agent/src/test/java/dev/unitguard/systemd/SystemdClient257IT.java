package dev.unitguard.systemd;

import dev.unitguard.lab.LabTest;

/** The D-Bus client, on the host, against the bus of a booted systemd 257: every test of {@link SystemdClientIT}. */
@LabTest(version = 257)
class SystemdClient257IT extends SystemdClientIT {
}
