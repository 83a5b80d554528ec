package dev.unitguard.apply;

import dev.unitguard.host.Directory;
import dev.unitguard.host.UnsafePathException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes that never leave a partial file and never follow a link: below a base directory trusted by configuration
 * (/etc/systemd/system, the state directory), every component is opened from the one above without following links
 * ({@link Directory}), so a symlinked {@code UNIT.d} or unit file is refused, naming it. The content goes to a new
 * temporary file beside the target ({@code O_CREAT|O_EXCL}, a hidden name systemd ignores), is synced, given its
 * mode explicitly, renamed over the target, and the directory is synced. Directories it creates get their mode
 * explicitly too, so the agent's umask ({@code UMask=0077} in the shipped unit) never decides what readers see. A
 * crash at any point leaves the old or the new file, and at most a temporary file that {@link #cleanTemporaries}
 * removes.
 */
public final class AtomicFiles {

    /** Temporary files start with this; systemd skips hidden files when it reads unit directories. */
    static final String TEMP_PREFIX = ".#unitguard.";
    /** The largest file read: unit files, drop-ins and state files are far smaller. */
    static final int MAX_BYTES = 4 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path base;
    private final Set<PosixFilePermission> directoryMode;
    private final StepHook hook;

    /** Files below {@code base}; directories created with {@code directoryMode} ({@code rwxr-xr-x}). */
    AtomicFiles(Path base, String directoryMode, StepHook hook) {
        this.base = base;
        this.directoryMode = PosixFilePermissions.fromString(directoryMode);
        this.hook = hook;
    }

    /**
     * Files below {@code base} (a directory trusted by configuration, created if missing), with directories created
     * {@code directoryMode} ({@code rwx------}): for other packages' state, such as the learned manifests.
     */
    public static AtomicFiles under(Path base, String directoryMode) {
        return new AtomicFiles(base, directoryMode, StepHook.NONE);
    }

    /** The file's text, or empty when it (or a directory above it) does not exist. */
    public Optional<String> read(Path file) throws IOException {
        try (Directory dir = Directory.walk(base, base.toString(), directories(file))) {
            return dir.read(name(file), MAX_BYTES).map(b -> new String(b, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Replaces {@code target} with {@code content} (mode {@code mode}, as {@code rw-r--r--}), or removes it if empty. */
    void replace(Path target, Optional<String> content, String mode) throws IOException {
        if (content.isPresent()) {
            write(target, content.get(), mode);
        } else {
            delete(target);
            hook.reached(Step.TARGET_REPLACED);
        }
    }

    /** Replaces {@code target} with {@code content}, mode {@code mode} ({@code rw-------}). */
    public void write(Path target, String content, String mode) throws IOException {
        String name = name(target);
        try (Directory dir = directory(target)) {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            String temp = TEMP_PREFIX + name + "." + HexFormat.of().formatHex(random);
            try {
                dir.create(temp, content.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString(mode));
                hook.reached(Step.TEMP_WRITTEN);
                dir.rename(temp, name);
            } catch (IOException | RuntimeException e) {
                dir.delete(temp);
                throw e;
            }
            dir.sync();
        }
        hook.reached(Step.TARGET_REPLACED);
    }

    /** Removes {@code file} (a symlink itself, never its target); false when there was none. */
    public boolean delete(Path file) throws IOException {
        try (Directory dir = Directory.walk(base, base.toString(), directories(file))) {
            boolean removed = dir.delete(name(file));
            if (removed) {
                dir.sync();
            }
            return removed;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The target's directory, the missing ones created with the directory mode. */
    private Directory directory(Path target) throws IOException {
        List<String> names = directories(target);
        Files.createDirectories(base); // trusted: configured by root, created by systemd's StateDirectory= in service
        return Directory.walk(base, base.toString(), names, directoryMode);
    }

    /** The directories between the base and the file. */
    private List<String> directories(Path file) throws UnsafePathException {
        Path normal = file.normalize();
        if (!normal.equals(file) || !file.startsWith(base) || file.equals(base)) {
            throw new UnsafePathException(file.toString(), "is not a file below " + base);
        }
        List<String> names = new ArrayList<>();
        base.relativize(file.getParent()).forEach(p -> names.add(p.toString()));
        names.removeIf(String::isEmpty);
        return names;
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }

    /**
     * Removes the temporary files a crash left in {@code dir} (opened from its parent without following it: a
     * symlinked {@code UNIT.d} is left alone); returns them.
     */
    static List<Path> cleanTemporaries(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        Path parent = dir.getParent();
        if (parent == null) {
            return removed;
        }
        try (Directory above = Directory.open(parent, parent.toString());
             Directory d = above.open(name(dir))) {
            for (String name : d.names()) {
                if (name.startsWith(TEMP_PREFIX) && d.delete(name)) {
                    removed.add(dir.resolve(name));
                }
            }
            if (!removed.isEmpty()) {
                d.sync();
            }
        } catch (NoSuchFileException | UnsafePathException e) {
            return removed;
        }
        return removed;
    }
}
