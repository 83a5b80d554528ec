package dev.unitguard.api;

import dev.unitguard.apply.SystemdPort;
import dev.unitguard.apply.UnitState;
import dev.unitguard.systemd.JobResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * systemd for API tests (as the engine tests fake it): units in a map; a restart fails with status 226 when the
 * unit's drop-ins contain {@code /missing}; {@link #down} makes every call fail as an unreachable bus does.
 */
final class FakePort implements SystemdPort {

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile boolean down;
    /** Reload fails from this call on (1-based; 0: never). */
    volatile int failReloadFrom;
    private final AtomicInteger reloads = new AtomicInteger();
    private final Map<String, UnitState> units = new ConcurrentHashMap<>();
    private final Path unitDirectory;
    private final AtomicInteger invocations = new AtomicInteger();

    FakePort(Path root) {
        this.unitDirectory = root.resolve("etc/systemd/system");
    }

    FakePort running(String unit) {
        units.put(unit, active(unit));
        return this;
    }

    @Override
    public void reload() throws SystemdFailure {
        call("reload");
        if (failReloadFrom > 0 && reloads.incrementAndGet() >= failReloadFrom) {
            throw new SystemdFailure("Reload(): org.freedesktop.DBus.Error.AccessDenied: denied", null);
        }
    }

    @Override
    public UnitState state(String unit) throws SystemdFailure {
        if (down) {
            throw new SystemdFailure("GetUnit(" + unit + "): no connection to systemd", null);
        }
        return units.getOrDefault(unit, new UnitState("not-found", "inactive", "dead", "", 0, 0, "", 0, ""));
    }

    @Override
    public JobResult restart(String unit, Duration timeout) throws SystemdFailure {
        call("restart " + unit);
        units.put(unit, dropIns(unit).contains("/missing")
                ? new UnitState("loaded", "failed", "failed", "exit-code", 1, 226, "inv" + invocations.incrementAndGet(),
                0, "disabled") : active(unit));
        return JobResult.DONE;
    }

    @Override
    public JobResult stop(String unit, Duration timeout) throws SystemdFailure {
        call("stop " + unit);
        return JobResult.DONE;
    }

    @Override
    public void resetFailed(String unit) throws SystemdFailure {
        call("reset-failed " + unit);
    }

    @Override
    public void enable(String unit) throws SystemdFailure {
        call("enable " + unit);
    }

    @Override
    public void disable(String unit) throws SystemdFailure {
        call("disable " + unit);
    }

    private void call(String what) throws SystemdFailure {
        if (down) {
            throw new SystemdFailure(what + ": no connection to systemd", null);
        }
        calls.add(what);
    }

    private UnitState active(String unit) {
        return new UnitState("loaded", "active", "running", "success", 0, 0, "inv" + invocations.incrementAndGet(), 0,
                "disabled");
    }

    private String dropIns(String unit) {
        Path dir = unitDirectory.resolve(unit + ".d");
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (var files = Files.list(dir)) {
            StringBuilder text = new StringBuilder();
            for (Path f : files.sorted().toList()) {
                text.append(Files.readString(f));
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
