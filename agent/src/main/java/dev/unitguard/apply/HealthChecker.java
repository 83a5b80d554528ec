package dev.unitguard.apply;

import dev.unitguard.systemd.SystemdClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Runs one health check attempt of a unit; empty when healthy, else why not. */
@FunctionalInterface
public interface HealthChecker {

    Optional<String> check(String unit, Health health, Duration timeout);

    /**
     * {@code health.http} as a GET to its loopback address ({@link HttpHealth}), {@code health.exec} as a transient
     * service with the unit's user and sandbox, started through {@code systemd} ({@link ExecHealth}); {@code root}
     * is the root of the machine systemd runs ({@code /}).
     */
    static HealthChecker over(SystemdClient systemd, Path root) {
        return of(Optional.of(new ExecHealth(systemd::runTransient, root)));
    }

    /** Without systemd: {@code health.http} works, {@code health.exec} fails (it never runs as the agent). */
    static HealthChecker withoutSystemd() {
        return of(Optional.empty());
    }

    private static HealthChecker of(Optional<ExecHealth> exec) {
        return (unit, health, timeout) -> {
            if (health instanceof Health.Http http) {
                return HttpHealth.get(http, timeout);
            }
            if (!(health instanceof Health.Exec command)) {
                return Optional.empty();
            }
            return exec.isPresent() ? exec.get().check(unit, command, timeout)
                    : Optional.of("health.exec " + String.join(" ", command.argv()) + " cannot run: the engine has "
                    + "no systemd to run it as " + unit + "'s user, and it never runs as the agent");
        };
    }
}
