package dev.unitguard.host;

import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The native parts of this process, the {@link MountTableWatch}, the {@link FileWatch} and the {@link StatSource},
 * each loaded once (binding the C library is not free).
 */
final class SystemMountTableWatch {

    static final Optional<MountTableWatch> WATCH = load(MountTableWatch.class);
    static final Optional<FileWatch> FILES = load(FileWatch.class);
    static final Optional<StatSource> STAT = load(StatSource.class);

    private SystemMountTableWatch() {
    }

    private static <T> Optional<T> load(Class<T> type) {
        try {
            return ServiceLoader.load(type, type.getClassLoader()).findFirst();
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            return Optional.empty(); // no native support here: nothing is watched
        }
    }
}
