package dev.unitguard.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads the POSIX access ACL of a file. The JDK cannot: on Linux it offers no {@code AclFileAttributeView}, and
 * {@code UserDefinedFileAttributeView} only reaches the {@code user.} extended attributes, not
 * {@code system.posix_acl_access}. So ACLs come from {@code getfacl} (Debian package {@code acl}) when it is
 * installed, and are not read at all otherwise.
 */
public interface AclReader {

    /** The extended access ACL of a file that is not a symlink; empty when it has only the three base entries. */
    List<AclEntry> read(Path file) throws IOException;

    /** Reads no ACLs: every file is treated as having only its mode bits. */
    AclReader NONE = file -> List.of();

    /** {@code getfacl} from the search path when it is installed, else {@link #NONE}. */
    static AclReader system() {
        return getfacl().orElse(NONE);
    }

    /** {@code getfacl} from the search path, if installed. */
    static Optional<AclReader> getfacl() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path exe = Path.of(dir.isEmpty() ? "." : dir, "getfacl");
            if (Files.isExecutable(exe)) {
                return Optional.of(file -> run(exe, file));
            }
        }
        return Optional.empty();
    }

    private static List<AclEntry> run(Path getfacl, Path file) throws IOException {
        Process p = new ProcessBuilder(getfacl.toString(), "--numeric", "--omit-header", "--no-effective",
                "--absolute-names", "--skip-base", "--", file.toString()).redirectErrorStream(false).start();
        String out;
        String err;
        try (InputStream stdout = p.getInputStream(); InputStream stderr = p.getErrorStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(file + ": getfacl failed: " + err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(file + ": interrupted while running getfacl", e);
        } finally {
            p.destroy();
        }
        List<AclEntry> entries = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && !line.startsWith("default:") && !line.startsWith("#")) {
                entries.add(AclEntry.parse(line.strip()));
            }
        }
        return entries.size() <= 3 ? List.of() : List.copyOf(entries);
    }
}
