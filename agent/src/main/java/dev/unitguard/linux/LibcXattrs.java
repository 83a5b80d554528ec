package dev.unitguard.linux;

import dev.unitguard.host.XattrSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import jnr.constants.platform.Errno;

/**
 * Reads one extended attribute of a file with the C library's {@code lgetxattr(2)}, in process: the JDK's
 * {@code UserDefinedFileAttributeView} only reaches the {@code user.} namespace, and the ACLs live in
 * {@code system.}. A symbolic link is never followed. Found by the pure core through {@link java.util.ServiceLoader}
 * (META-INF/services), so that it never imports jnr.
 */
public final class LibcXattrs implements XattrSource {

    /** The largest value read; the kernel's own limit for one attribute is 64 KiB. */
    private static final int MAX_SIZE = 64 * 1024;
    private static final int FIRST_TRY = 1024;

    private final Libc libc;

    /** Binds the C library; fails (a {@link LinkageError} or runtime exception) where jnr-ffi has no native support. */
    public LibcXattrs() {
        this.libc = new Libc();
    }

    @Override
    public Optional<byte[]> get(Path file, String name) throws IOException {
        byte[] path = Libc.path(file);
        byte[] attribute = Libc.terminated(name.getBytes(StandardCharsets.US_ASCII));
        int size = FIRST_TRY;
        while (true) {
            byte[] value = new byte[size];
            long read = libc.functions().lgetxattr(path, attribute, value, value.length);
            if (read >= 0) {
                return Optional.of(Arrays.copyOf(value, (int) read));
            }
            int errno = libc.lastError();
            if (errno == Errno.ENODATA.intValue() || errno == Errno.EOPNOTSUPP.intValue()) {
                return Optional.empty();
            }
            if (errno != Errno.ERANGE.intValue() || size >= MAX_SIZE) {
                throw new IOException(file + ": cannot read " + name + ": " + Libc.describe(errno));
            }
            size = MAX_SIZE;
        }
    }
}
