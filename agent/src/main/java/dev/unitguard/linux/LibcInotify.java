package dev.unitguard.linux;

import dev.unitguard.host.FileWatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * inotify(7) and statfs(2) through the C library: the {@link FileWatch} of the pure core, found through
 * {@link java.util.ServiceLoader} (META-INF/services) so that it never imports jnr. The functions are bound in
 * {@link Libc}, with those of {@link LibcMountTableWatch} and {@link LibcXattrs}.
 */
public final class LibcInotify implements FileWatch {

    private static final int IN_NONBLOCK = 04000;
    private static final int IN_CLOEXEC = 02000000;
    private static final int IN_MODIFY = 0x2;
    private static final int IN_ATTRIB = 0x4;
    private static final int IN_MOVED_FROM = 0x40;
    private static final int IN_MOVED_TO = 0x80;
    private static final int IN_CREATE = 0x100;
    private static final int IN_DELETE = 0x200;
    private static final int IN_DELETE_SELF = 0x400;
    private static final int IN_MOVE_SELF = 0x800;
    private static final int IN_UNMOUNT = 0x2000;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int IN_IGNORED = 0x8000;
    private static final int IN_ONLYDIR = 0x01000000;
    private static final int IN_DONT_FOLLOW = 0x02000000;
    /** Everything that changes what lstat() tells of a file or which file a name in a directory is. */
    private static final int MASK = IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW;
    private static final int EAGAIN = 11;
    /** struct inotify_event: int wd; uint32_t mask, cookie, len; char name[len]. */
    private static final int EVENT_HEADER = 16;
    /** Room for many events; at least one with the longest name (NAME_MAX + 1). */
    private static final int BUFFER = 16 * 1024;
    /** struct statfs is 120 bytes on 64-bit Linux, 84 on 32-bit; f_type comes first, a C long. */
    private static final int STATFS_SIZE = 256;

    private final Libc.Functions libc;
    private final Runtime runtime;

    /** Binds the C library; fails (a {@link LinkageError} or runtime exception) where jnr-ffi has no native support. */
    public LibcInotify() {
        Libc bound = new Libc();
        this.libc = bound.functions();
        this.runtime = bound.runtime();
    }

    @Override
    public Queue open() throws IOException {
        int fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            throw new IOException("inotify_init1: " + Libc.describe(runtime.getLastError()));
        }
        return new Instance(fd, Memory.allocateDirect(runtime, BUFFER));
    }

    @Override
    public long fileSystemType(Path path) {
        byte[] buffer = new byte[STATFS_SIZE];
        if (libc.statfs(Libc.path(path), buffer) != 0) {
            return -1;
        }
        ByteBuffer fields = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        return runtime.longSize() == 8 ? fields.getLong(0) : fields.getInt(0) & 0xffffffffL;
    }


    /** One inotify file descriptor and its read buffer. */
    private final class Instance implements Queue {
        private final int fd;
        private final Pointer buffer;
        private boolean closed;

        Instance(int fd, Pointer buffer) {
            this.fd = fd;
            this.buffer = buffer;
        }

        @Override
        public synchronized int watch(Path path, boolean directory) {
            if (closed) {
                return -9; // EBADF
            }
            int wd = libc.inotify_add_watch(fd, Libc.path(path), MASK | (directory ? IN_ONLYDIR : 0));
            return wd >= 0 ? wd : -runtime.getLastError();
        }

        @Override
        public synchronized boolean drain(Sink sink) {
            if (closed) {
                return false;
            }
            while (true) {
                long n = libc.read(fd, buffer, BUFFER);
                if (n < 0) {
                    return runtime.getLastError() == EAGAIN; // EAGAIN: nothing (more) queued
                }
                if (n == 0) {
                    return false;
                }
                for (int at = 0; at + EVENT_HEADER <= n; ) {
                    int wd = buffer.getInt(at);
                    int mask = buffer.getInt(at + 4);
                    int len = buffer.getInt(at + 12);
                    if ((mask & IN_Q_OVERFLOW) != 0) {
                        return false;
                    }
                    String name = null;
                    if (len > 0) {
                        byte[] bytes = new byte[len];
                        buffer.get(at + EVENT_HEADER, bytes, 0, len);
                        int end = 0;
                        while (end < len && bytes[end] != 0) {
                            end++;
                        }
                        name = new String(bytes, 0, end, Libc.PATH_CHARSET);
                    }
                    sink.event(wd, name, (mask & (IN_IGNORED | IN_UNMOUNT)) != 0);
                    at += EVENT_HEADER + len;
                }
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                libc.close(fd);
            }
        }
    }
}
