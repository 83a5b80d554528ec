package dev.unitguard.learn;

import dev.unitguard.apply.AtomicFiles;
import dev.unitguard.host.OwnedDirectory;
import dev.unitguard.systemd.JobOutcome;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Runs a unit under strace for a window ({@link TraceDropIn}): writes the runtime drop-in, reloads, restarts the unit;
 * at the end of the window (or at once, on any failure) removes the drop-in, reloads and restarts the unit as it was.
 * The tracer writes into a fresh directory of the agent's runtime directory, root's only (0700), which the unit
 * traced may write; the agent reads back only regular files in it, without following links, at most
 * {@link #MAX_BYTES} in all and {@link StraceCall#MAX_LINE} per line, and removes it.
 */
final class Tracer {

    /** The most trace output read (and let grow: the window ends early beyond it). */
    static final long MAX_BYTES = 256L << 20;
    private static final Logger LOG = Logger.getLogger(Tracer.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);

    private final SystemdClient systemd;
    private final Path runtimeUnits;
    private final Duration jobTimeout;

    /** {@code runtimeUnits}: systemd's runtime unit directory ({@code /run/systemd/system}). */
    Tracer(SystemdClient systemd, Path runtimeUnits, Duration jobTimeout) {
        this.systemd = systemd;
        this.runtimeUnits = runtimeUnits;
        this.jobTimeout = jobTimeout;
    }

    /** The drop-in file of {@code unit}. */
    Path dropIn(String unit) {
        return runtimeUnits.resolve(unit + ".d").resolve(TraceDropIn.NAME);
    }

    /**
     * Starts {@code unit} under the tracer writing into {@code dir} (created here); restored on any failure.
     * {@code grantPtrace}: see {@link TraceDropIn#text}.
     */
    void start(EffectiveUnit unit, Path dir, boolean grantPtrace) throws LearnException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            AtomicFiles.under(runtimeUnits, "rwxr-xr-x").write(dropIn(unit.name()), TraceDropIn.text(unit, dir, grantPtrace),
                    "rw-r--r--");
            systemd.reload();
            JobOutcome restarted = systemd.restart(unit.name(), jobTimeout);
            if (!restarted.succeeded()) {
                throw new LearnException(LearnException.Reason.FAILED, unit.name() + " did not start under strace ("
                        + restarted.rawResult() + "); see journalctl -u " + unit.name() + "; restored");
            }
        } catch (LearnException e) {
            restore(unit.name());
            throw e;
        } catch (IOException | SystemdException | RuntimeException e) {
            restore(unit.name());
            throw new LearnException(LearnException.Reason.FAILED, "cannot start " + unit.name() + " under strace: "
                    + e.getMessage() + "; restored", e);
        }
    }

    /** Waits out {@code window}, ending it early when the output passes {@link #MAX_BYTES}; true when it did. */
    boolean await(Path dir, Duration window) throws InterruptedException {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            if (size(dir) > MAX_BYTES) {
                return true;
            }
            Thread.sleep(Math.min(POLL.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        return false;
    }

    /** Removes the drop-in, reloads and restarts {@code unit}: the unit as it was. Failures are thrown, after trying all. */
    void restore(String unit) throws LearnException {
        List<String> failed = new ArrayList<>();
        try {
            AtomicFiles.under(runtimeUnits, "rwxr-xr-x").delete(dropIn(unit));
        } catch (IOException | RuntimeException e) {
            failed.add("cannot remove " + dropIn(unit) + ": " + e.getMessage());
        }
        try {
            systemd.reload();
            JobOutcome restarted = systemd.restart(unit, jobTimeout);
            if (!restarted.succeeded()) {
                failed.add(unit + " did not restart under its own unit (" + restarted.rawResult() + ")");
            }
        } catch (SystemdException | RuntimeException e) {
            failed.add("cannot restart " + unit + ": " + e.getMessage());
        }
        if (!failed.isEmpty()) {
            String message = String.join("; ", failed);
            LOG.warning("trace of " + unit + ": " + message);
            throw new LearnException(LearnException.Reason.FAILED, message);
        }
    }

    /** Feeds each line of each regular file of {@code dir} (by name) to {@code lines}, bounded; returns bytes read. */
    static long read(Path dir, List<String> names, Consumer<String> lines) throws IOException {
        requireOwnDirectory(dir);
        long total = 0;
        for (String name : names) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue; // a command that never ran, or anything but a plain file
            }
            try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                total += lines(in, MAX_BYTES - total, lines);
            }
            if (total >= MAX_BYTES) {
                break;
            }
        }
        return total;
    }

    /** Splits {@code in} into lines, at most {@code limit} bytes; a line past {@link StraceCall#MAX_LINE} is dropped. */
    static long lines(InputStream in, long limit, Consumer<String> lines) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        boolean tooLong = false;
        long read = 0;
        int n;
        while (read < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - read))) > 0) {
            read += n;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    if (!tooLong) {
                        lines.accept(line.toString(StandardCharsets.UTF_8));
                    }
                    line.reset();
                    tooLong = false;
                } else if (line.size() < StraceCall.MAX_LINE) {
                    line.write(b);
                } else {
                    tooLong = true;
                }
            }
        }
        return read;
    }

    /** Removes {@code dir} and the regular files in it, never following a link. */
    static void remove(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(dir);
                return;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    Files.deleteIfExists(f); // a link itself, never its target; a directory in it stays
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warning("cannot remove " + dir + ": " + e.getMessage());
        }
    }

    private static void requireOwnDirectory(Path dir) throws IOException {
        if (!OwnedDirectory.ownedByRoot(dir, OwnedDirectory.exactly("rwx------"))) {
            throw new IOException(dir + " is not a root-owned 0700 directory");
        }
    }

    private static long size(Path dir) {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                total += Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            }
        } catch (IOException e) {
            return total;
        }
        return total;
    }
}
