package dev.unitguard.exposure;

import dev.unitguard.lab.LabTest;

/** {@link LiveExposureIT} on a booted systemd 262. */
@LabTest(version = 262)
class LiveExposure262IT extends LiveExposureIT {
}
