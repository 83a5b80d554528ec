package dev.unitguard.linux;

import dev.unitguard.host.MountTableWatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Watches a mount table with the C library's {@code open(2)} and {@code poll(2)}: an open {@code mountinfo} file
 * polls with {@code POLLPRI} once its namespace's mounts changed (proc(5)), a question the JDK cannot ask of a
 * file. Found by the pure core through {@link java.util.ServiceLoader} (META-INF/services), so that it never
 * imports jnr.
 */
public final class LibcMountTableWatch implements MountTableWatch {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final short POLLPRI = 0x002;
    private static final short POLLERR = 0x008;
    private static final short POLLNVAL = 0x020;

    private final Libc libc;

    /** Binds the C library; fails (a {@link LinkageError} or runtime exception) where jnr-ffi has no native support. */
    public LibcMountTableWatch() {
        this.libc = new Libc();
    }

    @Override
    public Watch open(Path mountInfo) throws IOException {
        int fd = libc.functions().open(Libc.path(mountInfo), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(mountInfo + ": cannot open: " + Libc.describe(libc.lastError()));
        }
        return new Open(fd);
    }

    /** One open file; {@link #changed} is safe to call from any thread, close once. */
    private final class Open implements Watch {
        private final int fd;
        private boolean closed;

        Open(int fd) {
            this.fd = fd;
        }

        @Override
        public synchronized boolean changed() {
            if (closed) {
                return true;
            }
            // struct pollfd { int fd; short events; short revents; }, in the machine's byte order
            ByteBuffer pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            pollfd.putInt(0, fd).putShort(4, POLLPRI).putShort(6, (short) 0);
            byte[] fds = pollfd.array();
            int ready = libc.functions().poll(fds, 1, 0);
            if (ready < 0) {
                return true; // not known: read the table again
            }
            short revents = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder()).getShort(6);
            return (revents & (POLLPRI | POLLERR | POLLNVAL)) != 0;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                libc.functions().close(fd);
            }
        }
    }
}
