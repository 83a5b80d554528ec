package dev.unitguard.apply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Writes that never leave a partial file: the content goes to a temporary file beside the target (a hidden name
 * systemd ignores), is synced, renamed over the target, and the directory is synced. A crash at any point leaves
 * the old or the new file, and at most a temporary file that {@link #cleanTemporaries} removes.
 */
final class AtomicFiles {

    /** Temporary files start with this; systemd skips hidden files when it reads unit directories. */
    static final String TEMP_PREFIX = ".#unitguard.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StepHook hook;

    AtomicFiles(StepHook hook) {
        this.hook = hook;
    }

    /** The file's text, or empty when it does not exist. */
    static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces {@code target} with {@code content} (mode 0644 unless {@code mode} given), or removes it if empty. */
    void replace(Path target, Optional<String> content, String mode) throws IOException {
        if (content.isPresent()) {
            write(target, content.get(), mode);
        } else {
            Files.deleteIfExists(target);
            syncDirectory(target.getParent());
            hook.reached(Step.TARGET_REPLACED);
        }
    }

    void write(Path target, String content, String mode) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "." + HexFormat.of().formatHex(random));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
            hook.reached(Step.TEMP_WRITTEN);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(dir);
        hook.reached(Step.TARGET_REPLACED);
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Removes the temporary files a crash left in {@code dir}; returns them. */
    static List<Path> cleanTemporaries(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
                removed.add(entry);
            }
        }
        if (!removed.isEmpty()) {
            syncDirectory(dir);
        }
        return removed;
    }
}
