package dev.unitguard.sandbox;

import dev.unitguard.host.FileInfo;
import dev.unitguard.host.FileVersion;
import dev.unitguard.host.HostView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The program the kernel loads to run an executable, which must itself sit on an exec mount and be executable: a
 * script's {@code #!} interpreter, or an ELF program's {@code PT_INTERP} (the dynamic loader, for instance
 * {@code /lib64/ld-linux-x86-64.so.2}). Seen in the lab: {@code NoExecPaths=/} with {@code ExecPaths=} naming only
 * the binary fails with 203/EXEC because the loader is on a noexec mount. Reads at most a few KiB of a regular
 * file; anything unreadable or malformed has no interpreter.
 */
public final class ExecInterpreter {

    private static final int PT_INTERP = 3;
    private static final int MAX_HEADERS = 256;
    private static final int MAX_PATH = 4096;

    /** At most this many interpreters in a chain (a script run by a script's interpreter...), as the kernel. */
    public static final int MAX_CHAIN = 4;

    /** The most files whose interpreter is kept; past it the cache starts over. */
    private static final int MAX_KNOWN = 4096;

    /**
     * What {@link #of} found in a file, with the {@link FileVersion} it was read at: a check asks about the same few
     * programs every time, and the {@code lstat()} the check's snapshot made of the file anyway tells whether it is
     * still the one read (a write or a rename changes it). What changed in the last second is read again each time,
     * as {@code HostView} does for ACLs: a second change within the kernel's clock tick keeps the ctime.
     */
    private record Known(FileVersion version, Optional<String> interpreter) {
    }

    private static final Map<Path, Known> KNOWN = new ConcurrentHashMap<>();

    private ExecInterpreter() {
    }

    /** One interpreter of a chain: as the file names it, and resolved on the host. */
    public record Link(String named, String path) {
    }

    /**
     * The interpreters the kernel loads to execute {@code program} (an absolute path): its {@code #!} interpreter or
     * {@code PT_INTERP}, then that one's, at most {@link #MAX_CHAIN}; each as it exists on the host. Empty for a
     * directory, a static binary, an unreadable file; the chain stops at an interpreter the host lacks, which is then
     * the last element (its {@code path} missing).
     */
    public static List<Link> chain(HostView host, String program) {
        List<Link> chain = new ArrayList<>();
        String current = host.resolve(program);
        for (int depth = 0; depth < MAX_CHAIN; depth++) {
            Optional<String> named = kept(host, current);
            if (named.isEmpty()) {
                break;
            }
            current = host.resolve(named.get());
            chain.add(new Link(named.get(), current));
            if (host.stat(current).isEmpty()) {
                break;
            }
        }
        return List.copyOf(chain);
    }

    /**
     * As {@link #of} for the file at a symlink-free path of {@code host}, from {@link #KNOWN} while its
     * {@link HostView#version} is the one read.
     */
    static Optional<String> kept(HostView host, String path) {
        if (host.lstat(path).map(i -> i.type() != FileInfo.Type.REGULAR).orElse(true)) {
            return Optional.empty(); // missing, unreadable or not a regular file: of() finds nothing either
        }
        FileVersion version = host.version(path).orElse(null);
        if (version == null) {
            return Optional.empty();
        }
        Path file = host.hostPath(path);
        Known known = KNOWN.get(file);
        if (known != null && known.version().equals(version)) {
            return known.interpreter();
        }
        Optional<String> found = of(file);
        if (version.settled()) {
            if (KNOWN.size() >= MAX_KNOWN) {
                KNOWN.clear();
            }
            KNOWN.put(file, new Known(version, found));
        }
        return found;
    }

    /** The interpreter's path as the file names it, or empty (not a script, a static ELF, unreadable). */
    public static Optional<String> of(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer head = read(channel, 0, 256);
            if (head.remaining() >= 2 && head.get(0) == '#' && head.get(1) == '!') {
                return shebang(head);
            }
            if (head.remaining() >= 64 && head.getInt(0) == 0x7f454c46) {
                return elf(channel, head);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first word after {@code #!}, as the kernel's binfmt_script reads it. */
    private static Optional<String> shebang(ByteBuffer head) {
        String line = StandardCharsets.ISO_8859_1.decode(head.position(2)).toString().split("\n", 2)[0].strip();
        String word = line.split("[ \t]", 2)[0];
        return word.startsWith("/") ? Optional.of(word) : Optional.empty();
    }

    private static Optional<String> elf(FileChannel channel, ByteBuffer head) throws IOException {
        boolean wide = head.get(4) == 2;
        head.order(head.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long phoff = wide ? head.getLong(32) : Integer.toUnsignedLong(head.getInt(28));
        int phentsize = Short.toUnsignedInt(head.getShort(wide ? 54 : 42));
        int phnum = Short.toUnsignedInt(head.getShort(wide ? 56 : 44));
        if (phnum > MAX_HEADERS || phentsize < (wide ? 56 : 32)) {
            return Optional.empty();
        }
        ByteBuffer headers = read(channel, phoff, phentsize * phnum).order(head.order());
        for (int i = 0; i < phnum && (i + 1) * phentsize <= headers.remaining(); i++) {
            int at = i * phentsize;
            if (headers.getInt(at) != PT_INTERP) {
                continue;
            }
            long offset = wide ? headers.getLong(at + 8) : Integer.toUnsignedLong(headers.getInt(at + 4));
            long size = wide ? headers.getLong(at + 32) : Integer.toUnsignedLong(headers.getInt(at + 16));
            if (size <= 1 || size > MAX_PATH) {
                return Optional.empty();
            }
            ByteBuffer path = read(channel, offset, (int) size - 1);
            String interpreter = StandardCharsets.ISO_8859_1.decode(path).toString();
            return interpreter.startsWith("/") ? Optional.of(interpreter) : Optional.empty();
        }
        return Optional.empty();
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // read until full or end of file
        }
        return buffer.flip();
    }
}
