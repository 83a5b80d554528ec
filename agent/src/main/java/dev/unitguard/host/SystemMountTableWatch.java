package dev.unitguard.host;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The one {@link MountTableWatch} of this process, loaded once (binding the C library is not free). */
final class SystemMountTableWatch {

    static final Optional<MountTableWatch> WATCH = load();

    private SystemMountTableWatch() {
    }

    private static Optional<MountTableWatch> load() {
        try {
            return ServiceLoader.load(MountTableWatch.class, MountTableWatch.class.getClassLoader()).findFirst();
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            return Optional.empty(); // no native support here: the table is read each time
        }
    }
}
