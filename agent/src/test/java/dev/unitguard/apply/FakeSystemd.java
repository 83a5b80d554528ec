package dev.unitguard.apply;

import dev.unitguard.systemd.JobResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * systemd for unit tests: units live in a map; a restart reads the unit's drop-in directory under the root (as a
 * reload would have) and fails with status 226 when {@link #breaksOn} matches its text; counts every call.
 */
final class FakeSystemd implements SystemdPort {

    final AtomicInteger reloads = new AtomicInteger();
    final AtomicInteger restarts = new AtomicInteger();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, UnitState> units = new ConcurrentHashMap<>();
    private final Path unitDirectory;
    private final AtomicInteger invocations = new AtomicInteger();
    volatile Predicate<String> breaksOn = text -> text.contains("ReadWritePaths=/missing");
    /** How a broken restart ends: systemd's result, the main process's exit code (1 exited, 2 killed) and status. */
    volatile UnitState broken = new UnitState("loaded", "failed", "failed", "exit-code", 1, 226, "", 0, "");
    /** Reload fails from this call on (1-based; 0: never). */
    volatile int failReloadFrom;
    volatile Duration restartDelay = Duration.ZERO;
    /** The result of the next restart job (then {@code done} again). */
    volatile JobResult nextRestartResult = JobResult.DONE;

    FakeSystemd(Path root) {
        this.unitDirectory = root.resolve("etc/systemd/system");
    }

    FakeSystemd running(String unit) {
        units.put(unit, active(unit));
        return this;
    }

    FakeSystemd stopped(String unit) {
        units.put(unit, new UnitState("loaded", "inactive", "dead", "success", 0, 0, "", 0, "disabled"));
        return this;
    }

    String invocation(String unit) {
        return units.get(unit).invocationId();
    }

    @Override
    public void reload() throws SystemdFailure {
        int n = reloads.incrementAndGet();
        calls.add("reload");
        if (failReloadFrom > 0 && n >= failReloadFrom) {
            throw new SystemdFailure("Reload(): org.freedesktop.DBus.Error.AccessDenied: denied", null);
        }
    }

    @Override
    public UnitState state(String unit) {
        return units.getOrDefault(unit, new UnitState("not-found", "inactive", "dead", "", 0, 0, "", 0, ""));
    }

    @Override
    public JobResult restart(String unit, Duration timeout) {
        restarts.incrementAndGet();
        calls.add("restart " + unit);
        sleep(restartDelay);
        if (breaksOn.test(dropIns(unit))) {
            units.put(unit, new UnitState("loaded", "failed", "failed", broken.result(), broken.execMainCode(),
                    broken.execMainStatus(), "inv" + invocations.incrementAndGet(), 0, state(unit).unitFileState()));
        } else {
            units.put(unit, active(unit));
        }
        JobResult result = nextRestartResult;
        nextRestartResult = JobResult.DONE;
        return result;
    }

    @Override
    public JobResult stop(String unit, Duration timeout) {
        calls.add("stop " + unit);
        return JobResult.DONE;
    }

    @Override
    public void resetFailed(String unit) {
        calls.add("reset-failed " + unit);
    }

    @Override
    public void enable(String unit) {
        calls.add("enable " + unit);
        UnitState s = state(unit);
        units.put(unit, new UnitState(s.loadState(), s.activeState(), s.subState(), s.result(), s.execMainCode(),
                s.execMainStatus(), s.invocationId(), s.nRestarts(), "enabled"));
    }

    @Override
    public void disable(String unit) {
        calls.add("disable " + unit);
        UnitState s = state(unit);
        units.put(unit, new UnitState(s.loadState(), s.activeState(), s.subState(), s.result(), s.execMainCode(),
                s.execMainStatus(), s.invocationId(), s.nRestarts(), "disabled"));
    }

    private UnitState active(String unit) {
        String fileState = units.containsKey(unit) ? units.get(unit).unitFileState() : "disabled";
        return new UnitState("loaded", "active", "running", "success", 0, 0, "inv" + invocations.incrementAndGet(), 0,
                fileState);
    }

    private String dropIns(String unit) {
        Path dir = unitDirectory.resolve(unit + ".d");
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (var files = Files.list(dir)) {
            StringBuilder text = new StringBuilder();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().toList()) {
                text.append(Files.readString(f));
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
