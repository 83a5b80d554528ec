package dev.unitguard.probe;

import dev.unitguard.lab.LabTest;

/** The conformance cases of {@link ConformanceIT}, judged by a booted systemd 257. */
@LabTest(version = 257)
class Conformance257IT extends ConformanceIT {
}
