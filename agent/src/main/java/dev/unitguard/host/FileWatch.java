package dev.unitguard.host;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Tells which watched files changed, without asking the files: the kernel's inotify(7). An event is queued in the
 * system call that changes the file (chmod, chown, setxattr, write, truncate, create, unlink, rename, rmdir, a link
 * count change), before that call returns; so a {@link Queue#drain} that finds no event for a file proves it the
 * same as when its watch was added, for every change whose call returned before the drain began. The native part
 * lives outside the pure core and is found with {@link ServiceLoader}; without it ({@link #system()} empty) nothing
 * is cached across requests.
 */
public interface FileWatch {

    /** What a drained event names: the watch, the name in the watched directory (null: the watched file itself). */
    interface Sink {
        /** {@code gone}: the kernel dropped the watch (the file was deleted, its file system unmounted). */
        void event(int wd, String name, boolean gone);
    }

    /** One inotify instance; safe for one thread at a time. */
    interface Queue extends Closeable {

        /**
         * Watches the file at {@code path} for changes of itself and, for a directory, of its entries, never following
         * a final symlink ({@code IN_DONT_FOLLOW}); {@code directory}: only when it is a directory
         * ({@code IN_ONLYDIR}). The watch descriptor (the same for the same inode), or minus the errno.
         */
        int watch(Path path, boolean directory);

        /**
         * Hands each pending event to {@code sink}, without blocking. False when events were lost (the queue
         * overflowed) or could not be read: then nothing watched may be believed.
         */
        boolean drain(Sink sink);

        @Override
        void close();
    }

    /** A new inotify instance. */
    Queue open() throws IOException;

    /** The {@code statfs(2)} type ({@code f_type}) of the file system holding {@code path}; -1 when not known. */
    long fileSystemType(Path path);

    /** The native watch, when one can be bound on this machine (loaded once). */
    static Optional<FileWatch> system() {
        return SystemMountTableWatch.FILES;
    }
}
