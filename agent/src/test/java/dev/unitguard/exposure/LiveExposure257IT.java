package dev.unitguard.exposure;

import dev.unitguard.lab.LabTest;

/** {@link LiveExposureIT} on a booted systemd 257. */
@LabTest(version = 257)
class LiveExposure257IT extends LiveExposureIT {
}
