package dev.unitguard.linux;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library as this package's classes call it through jnr-ffi: the functions they use, bound in one place, file
 * names as C strings, and error numbers in the C library's words.
 */
final class Libc {

    /** The C library's functions; public only because jnr-ffi generates their implementation in another loader. */
    public interface Functions {
        @SaveError
        int open(@In byte[] path, int flags);

        @SaveError
        int poll(@In @Out byte[] fds, long nfds, int timeout);

        int close(int fd);

        @SaveError
        @ssize_t long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);

        @SaveError
        int inotify_init1(int flags);

        @SaveError
        int inotify_add_watch(int fd, @In byte[] path, int mask);

        @SaveError
        @ssize_t long read(int fd, Pointer buffer, @size_t long count);

        @SaveError
        int statfs(@In byte[] path, @Out byte[] buffer);

        /** Without {@link SaveError}: saving errno costs a {@code gettid()} per call, and a failure is all it tells. */
        int statx(int dirfd, @In byte[] path, int flags, int mask, @Out byte[] buffer);
    }

    /** The platform's file-name encoding, for C strings in and out. */
    static final Charset PATH_CHARSET = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final Functions functions;
    private final Runtime runtime;

    /** Binds the C library; fails (a {@link LinkageError} or runtime exception) where jnr-ffi has no native support. */
    Libc() {
        this.functions = LibraryLoader.create(Functions.class).load("c");
        this.runtime = Runtime.getRuntime(functions);
    }

    Functions functions() {
        return functions;
    }

    Runtime runtime() {
        return runtime;
    }

    /** The error number the last {@link SaveError} call on this thread left. */
    int lastError() {
        return runtime.getLastError();
    }

    /** {@code file} as a C string: its name in the file-name encoding of the platform, NUL-terminated. */
    static byte[] path(Path file) {
        return terminated(file.toString().getBytes(PATH_CHARSET));
    }

    static byte[] terminated(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** The C library's words for an error number, or the number. */
    static String describe(int errno) {
        Errno known = Errno.valueOf(errno);
        return known == null || known == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : known.description();
    }
}
