package dev.unitguard.linux;

import dev.unitguard.host.StatSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code statx(2)} through the C library (glibc 2.28 and later; the kernel's own call since 4.11, emulated by glibc
 * before): a missing file is an error number, not an exception, and {@code struct statx} has the same layout on every
 * architecture. The {@link StatSource} of the pure core, found through {@link java.util.ServiceLoader}
 * (META-INF/services) so that it never imports jnr; bound in {@link Libc} with the other functions.
 */
public final class LibcStat implements StatSource {

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** STATX_TYPE | MODE | NLINK | UID | GID | ATIME | MTIME | CTIME | INO | SIZE | BLOCKS. */
    private static final int STATX_BASIC_STATS = 0x7ff;
    /** sizeof(struct statx). */
    private static final int SIZE = 256;
    // offsets in struct statx (linux/stat.h)
    private static final int UID = 20;
    private static final int GID = 24;
    private static final int MODE = 28;
    private static final int INO = 32;
    private static final int STX_SIZE = 40;
    private static final int CTIME = 96;
    private static final int MTIME = 112;
    private static final int DEV_MAJOR = 136;
    private static final int DEV_MINOR = 140;

    private final Libc.Functions libc;

    /**
     * Binds the C library and calls {@code statx} once; fails (a {@link LinkageError} or runtime exception) where
     * jnr-ffi has no native support or the C library has no {@code statx}.
     */
    public LibcStat() {
        this.libc = new Libc().functions();
        if (stat(Path.of("/"), true).isEmpty()) {
            throw new IllegalStateException("statx(\"/\") failed");
        }
    }

    @Override
    public Optional<Stat> stat(Path path, boolean follow) {
        byte[] buffer = new byte[SIZE];
        if (libc.statx(AT_FDCWD, Libc.path(path), follow ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) != 0) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        return Optional.of(new Stat(b.getShort(MODE) & 0xffff, b.getInt(UID), b.getInt(GID), b.getLong(INO),
                makedev(b.getInt(DEV_MAJOR), b.getInt(DEV_MINOR)), b.getLong(STX_SIZE), time(b, MTIME),
                time(b, CTIME)));
    }

    /** glibc's {@code gnu_dev_makedev()}, which its {@code stat()} gives as {@code st_dev} (and so the JDK). */
    static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return (ma & 0x00000fffL) << 8 | (ma & 0xfffff000L) << 32 | mi & 0x000000ffL | (mi & 0xffffff00L) << 12;
    }

    /** A {@code struct statx_timestamp} ({@code __s64 tv_sec; __u32 tv_nsec}) as the JDK's {@code FileTime}. */
    private static FileTime time(ByteBuffer b, int at) {
        long seconds = b.getLong(at);
        long nanos = b.getInt(at + 8) & 0xffffffffL;
        if (nanos == 0) {
            return FileTime.from(seconds, TimeUnit.SECONDS);
        }
        try {
            return FileTime.from(Math.addExact(nanos, Math.multiplyExact(seconds, 1_000_000_000L)),
                    TimeUnit.NANOSECONDS);
        } catch (ArithmeticException e) {
            return FileTime.from(seconds * 1_000_000L + nanos / 1000, TimeUnit.MICROSECONDS);
        }
    }
}
