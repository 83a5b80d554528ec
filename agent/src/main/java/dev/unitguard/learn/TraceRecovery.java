package dev.unitguard.learn;

import dev.unitguard.apply.AtomicFiles;
import dev.unitguard.apply.SystemdPort;
import dev.unitguard.apply.UnitState;
import dev.unitguard.systemd.JobResult;
import dev.unitguard.unit.UnitName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * At agent start, undoes the trace windows an agent that died left open: a trace drop-in
 * ({@code /run/systemd/system/UNIT.d/99-unitguard-trace.conf}) outlives the agent until reboot, and the unit keeps
 * running under strace, with its {@code SystemCallFilter=} reset and its trace growing in {@code /run}. Only files of
 * exactly that name that start with the drop-in's own first line ({@link TraceDropIn#MARKER}) are taken, and only when
 * they and their {@code UNIT.d} directory are root's, writable by nobody else and not links (anything else is logged
 * and left alone). They are removed, systemd reloads once, and each of those units that is active (or activating) is
 * restarted, so that it runs as configured again: the restart the window's end would have made. Last, the leftover
 * trace directories ({@code trace-*} in the learn output directory) are removed. Nothing here stops the agent from
 * starting: failures are logged.
 */
public final class TraceRecovery {

    /** One unit found under a trace drop-in and what was done: {@code restarted}, {@code not running}, or a failure. */
    public record Recovered(String unit, String outcome) {
        @Override
        public String toString() {
            return unit + ": trace drop-in removed, " + outcome;
        }
    }

    /** How long each restart is awaited; a restart that takes longer goes on in systemd without the agent waiting. */
    static final Duration RESTART_WAIT = Duration.ofSeconds(20);
    private static final long MAX_SIZE = 1L << 20;
    private static final Logger LOG = Logger.getLogger(TraceRecovery.class.getName());
    private static final java.util.concurrent.atomic.AtomicBoolean DONE = new java.util.concurrent.atomic.AtomicBoolean();

    private TraceRecovery() {
    }

    /**
     * The agent's recovery, once per process (a reload's new configuration starts while this process' own trace
     * windows may still be open): drop-ins under {@code root}'s {@code /run/systemd/system}, traces in
     * {@link Learner#OUTPUT_DIR}; empty on every later call.
     */
    public static List<Recovered> recoverOnce(SystemdPort systemd, Path root) {
        if (!DONE.compareAndSet(false, true)) {
            return List.of();
        }
        return recover(systemd, root.resolve("run/systemd/system"), Learner.OUTPUT_DIR, RESTART_WAIT);
    }

    static List<Recovered> recover(SystemdPort systemd, Path runtimeUnits, Path outputDir, Duration wait) {
        List<String> units = new ArrayList<>();
        for (Path dropIn : dropIns(runtimeUnits)) {
            try {
                if (AtomicFiles.under(runtimeUnits, "rwxr-xr-x").delete(dropIn)) {
                    units.add(unitOf(dropIn));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warning("cannot remove the trace drop-in " + dropIn + ": " + e.getMessage());
            }
        }
        List<Recovered> out = new ArrayList<>();
        if (!units.isEmpty()) {
            try {
                systemd.reload();
                units.forEach(u -> out.add(new Recovered(u, restart(systemd, u, wait))));
            } catch (SystemdPort.SystemdFailure | RuntimeException e) {
                units.forEach(u -> out.add(new Recovered(u, "not restarted: systemd did not reload (" + e.getMessage()
                        + "); restart it to end its trace")));
            }
        }
        removeTraces(outputDir);
        return out;
    }

    private static String restart(SystemdPort systemd, String unit, Duration wait) {
        try {
            UnitState state = systemd.state(unit);
            if (!state.isRunning() && !state.activeState().equals("activating")) {
                return "not running (" + state.activeState() + "): its next start is as configured";
            }
            JobResult result = systemd.restart(unit, wait);
            return result == JobResult.DONE ? "restarted without the tracer" : "restart " + result.word()
                    + " (see journalctl -u " + unit + ")";
        } catch (SystemdPort.SystemdFailure | RuntimeException e) {
            return "not restarted: " + e.getMessage() + "; restart it to end its trace";
        }
    }

    /** The trace drop-ins of {@code runtimeUnits} that are the agent's own, in name order. */
    static List<Path> dropIns(Path runtimeUnits) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(runtimeUnits, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runtimeUnits, "*.d")) {
            for (Path dir : dirs) {
                Path file = dir.resolve(TraceDropIn.NAME);
                if (UnitName.isValid(unitOf(file)) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    String problem = problem(dir, true);
                    problem = problem != null ? problem : problem(file, false);
                    problem = problem != null ? problem : marker(file);
                    if (problem == null) {
                        out.add(file);
                    } else {
                        LOG.warning("left alone: " + problem);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot list " + runtimeUnits + " for trace drop-ins: " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    /** Why {@code path} is not a root-owned directory (or regular file) writable by root alone; null when it is. */
    private static String problem(Path path, boolean directory) throws IOException {
        PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (directory ? !a.isDirectory() : !a.isRegularFile()) {
            return path + " is not a " + (directory ? "directory" : "regular file");
        }
        if (!Integer.valueOf(0).equals(uid)) {
            return path + " is owned by uid " + uid + ", not root";
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return path + " is writable by others than root";
        }
        return !directory && a.size() > MAX_SIZE ? path + " is larger than a trace drop-in" : null;
    }

    /** Null when {@code file}'s first line is the drop-in's marker; else why not. */
    private static String marker(Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file,
                StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
            char[] head = new char[TraceDropIn.MARKER.length()];
            int n = in.read(head, 0, head.length);
            return n == head.length && new String(head).equals(TraceDropIn.MARKER) ? null
                    : file + " does not start with unitguard's trace marker";
        }
    }

    private static void removeTraces(Path outputDir) {
        if (!Files.isDirectory(outputDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> traces = Files.newDirectoryStream(outputDir, "trace-*")) {
            for (Path trace : traces) {
                LOG.warning("removing the trace an interrupted learn left: " + trace);
                Tracer.remove(trace);
            }
        } catch (IOException e) {
            LOG.warning("cannot list " + outputDir + " for leftover traces: " + e.getMessage());
        }
    }

    private static String unitOf(Path dropIn) {
        String dir = dropIn.getParent().getFileName().toString();
        return dir.substring(0, dir.length() - 2);
    }
}
