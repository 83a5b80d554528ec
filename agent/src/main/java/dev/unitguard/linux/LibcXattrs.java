package dev.unitguard.linux;

import dev.unitguard.host.XattrSource;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * Reads one extended attribute of a file with the C library's {@code lgetxattr(2)}, in process: the JDK's
 * {@code UserDefinedFileAttributeView} only reaches the {@code user.} namespace, and the ACLs live in
 * {@code system.}. A symbolic link is never followed. Found by the pure core through {@link java.util.ServiceLoader}
 * (META-INF/services), so that it never imports jnr.
 */
public final class LibcXattrs implements XattrSource {

    /** The C library's function; public only because jnr-ffi generates its implementation in another loader. */
    public interface LibC {
        @SaveError
        @ssize_t long lgetxattr(@In byte[] path, @In byte[] name, @Out byte[] value, @size_t long size);
    }

    /** The largest value read; the kernel's own limit for one attribute is 64 KiB. */
    private static final int MAX_SIZE = 64 * 1024;
    private static final int FIRST_TRY = 1024;
    private static final Charset PATH_CHARSET = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private final LibC libc;
    private final Runtime runtime;

    /** Binds the C library; fails (a {@link LinkageError} or runtime exception) where jnr-ffi has no native support. */
    public LibcXattrs() {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
    }

    @Override
    public Optional<byte[]> get(Path file, String name) throws IOException {
        byte[] path = terminated(file.toString().getBytes(PATH_CHARSET));
        byte[] attribute = terminated(name.getBytes(StandardCharsets.US_ASCII));
        int size = FIRST_TRY;
        while (true) {
            byte[] value = new byte[size];
            long read = libc.lgetxattr(path, attribute, value, value.length);
            if (read >= 0) {
                return Optional.of(Arrays.copyOf(value, (int) read));
            }
            int errno = runtime.getLastError();
            if (errno == Errno.ENODATA.intValue() || errno == Errno.EOPNOTSUPP.intValue()) {
                return Optional.empty();
            }
            if (errno != Errno.ERANGE.intValue() || size >= MAX_SIZE) {
                throw new IOException(file + ": cannot read " + name + ": " + describe(errno));
            }
            size = MAX_SIZE;
        }
    }

    private static byte[] terminated(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** The C library's words for an error number, or the number. */
    static String describe(int errno) {
        Errno known = Errno.valueOf(errno);
        return known == null || known == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : known.description();
    }
}
