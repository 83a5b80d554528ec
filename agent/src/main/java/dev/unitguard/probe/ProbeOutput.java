package dev.unitguard.probe;

import dev.unitguard.host.OwnedDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a probe's script prints: a file that systemd opens for the service ({@code StandardOutputFile=}, stderr
 * inherits it) as root before it builds the sandbox, in a directory only root may enter, read once the probe stopped
 * and then removed. Reading it takes no {@code journalctl} and no wait for journald. The directory is
 * {@code /run/unitguard/probe} under the probe's root: the agent's runtime directory, the one place under /run the
 * shipped agent may write. Where that directory cannot be made safe (no {@code /run/unitguard}, a caller who is not
 * root, a link or a directory others may write), there is no such file and the script prints to the journal.
 */
final class ProbeOutput {

    /** The most of the file read: the script prints a line per requirement, far less. */
    static final int MAX_BYTES = 1024 * 1024;
    private static final Set<PosixFilePermission> OTHERS_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> NOT_OWNER = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;
    private final String asSystemdSees;

    private ProbeOutput(Path file, String asSystemdSees) {
        this.file = file;
        this.asSystemdSees = asSystemdSees;
    }

    /** The file for the probe unit {@code name} under {@code root}, or empty when it must print to the journal. */
    static Optional<ProbeOutput> of(Path root, String name) {
        Path runtime = root.resolve("run/unitguard");
        Path directory = runtime.resolve("probe");
        try {
            if (!OwnedDirectory.ownedByRoot(runtime, OwnedDirectory.without(OTHERS_WRITE))) {
                return Optional.empty();
            }
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made by an earlier probe: judged below like a new one
            }
            if (!OwnedDirectory.ownedByRoot(directory, OwnedDirectory.without(NOT_OWNER))) {
                return Optional.empty();
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        Path file = directory.resolve(name + ".out");
        return Optional.of(new ProbeOutput(file, "/" + root.relativize(file)));
    }

    /** The path systemd opens, as it sees it: {@code /run/unitguard/probe/NAME.out}. */
    String path() {
        return asSystemdSees;
    }

    /** The lines printed (at most {@link #MAX_BYTES}; none when nothing was), the file removed afterwards. */
    List<String> read() throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            return List.of(); // the service did not get as far as its output
        } finally {
            remove();
        }
    }

    /** Removes the file, if there is one. */
    void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next boot's empty /run: the name is never used again
        }
    }
}
