package dev.unitguard.host;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Tells, without reading it, whether a mount table changed: the kernel marks an open {@code /proc/PID/mountinfo}
 * when any mount of its namespace is added, removed or changed ({@code poll(2)} reports {@code POLLPRI}, proc(5)).
 * The mark is set in the system call that changes the table, so a check that finds none proves the table the same
 * as when the file was opened or last found marked. The native part lives outside the pure core and is found with
 * {@link ServiceLoader}; without it ({@link #system()} empty) the table is read each time.
 */
public interface MountTableWatch {

    /** One open mountinfo file. */
    interface Watch extends Closeable {

        /**
         * True when the table changed since the file was opened or since this last returned true (the mark is
         * cleared), and when the kernel's answer is not known (an error): then the caller reads the table again.
         */
        boolean changed();

        @Override
        void close();
    }

    /** Opens {@code mountInfo} and starts watching its table; a missing or unreadable file is an {@link IOException}. */
    Watch open(Path mountInfo) throws IOException;

    /** The native watch, when one can be bound on this machine. */
    static Optional<MountTableWatch> system() {
        return SystemMountTableWatch.WATCH;
    }
}
