package dev.unitguard.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a whole input file that must be a regular file of bounded size. The type is checked with {@code stat}
 * before the file is opened, so a FIFO, a device, a socket or a directory is refused at once instead of blocking
 * in {@code open()} or {@code read()}; at most {@code maxBytes + 1} bytes are read, so a file that grows after the
 * check is refused too, never held whole in memory.
 */
public final class RegularFile {

    /** The largest unit file or drop-in unitguard reads: 1 MiB (systemd's own unit files are a few KiB). */
    public static final long MAX_UNIT_FILE_BYTES = 1L << 20;

    /** A file that is not a regular file or is too large; the message says which, without the file's name. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String problem) {
            super(problem);
        }
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final Map<Integer, String> KINDS = Map.of(0040000, "a directory", 0010000, "a FIFO",
            0020000, "a character device", 0060000, "a block device", 0140000, "a socket");

    private RegularFile() {
    }

    /**
     * The bytes of {@code file} (a final symlink is followed, as by {@code open()}); {@link Refused} when it is not a
     * regular file or is larger than {@code maxBytes}, {@link NoSuchFileException} and the like as the JDK throws.
     */
    public static byte[] read(Path file, long maxBytes) throws IOException {
        Map<String, Object> stat = Files.readAttributes(file, "unix:mode,size");
        int type = (Integer) stat.get("mode") & S_IFMT;
        if (type != S_IFREG) {
            throw new Refused("is " + KINDS.getOrDefault(type, "not a file") + ", not a regular file");
        }
        long size = (Long) stat.get("size");
        if (size > maxBytes) {
            throw tooLarge(size, maxBytes);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(bytes.length, maxBytes);
            }
            return bytes;
        }
    }

    private static Refused tooLarge(long size, long maxBytes) {
        return new Refused("is larger than the limit of " + describe(maxBytes) + " (" + size + " bytes or more)");
    }

    /** {@code 1 MiB}, {@code 64 KiB}, or a number of bytes. */
    public static String describe(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " bytes";
    }

}
