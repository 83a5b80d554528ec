package dev.unitguard.probe;

import dev.unitguard.lab.LabTest;

/** The conformance cases of {@link ConformanceIT}, judged by a booted systemd 262. */
@LabTest(version = 262)
class Conformance262IT extends ConformanceIT {
}
