package dev.unitguard.apply;

import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeProperties;
import dev.unitguard.systemd.ServiceProperties;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.systemd.TransientRun;
import dev.unitguard.systemd.TransientUnit;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Specifiers;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code health.exec}: the command runs as a transient service with the unit's own identity ({@code User=},
 * {@code Group=}, {@code SupplementaryGroups=}, {@code DynamicUser=}) and sandbox, as the unit is loaded now (with
 * the change in place), through systemd ({@link ProbeProperties#forHealthCheck}: nothing that acts on the host),
 * plus {@code NoNewPrivileges=yes}, its output discarded and {@code RuntimeMaxSec=} the attempt's timeout. Exit 0 is
 * healthy. It never runs as the agent: a unit that would run as root is refused, and without systemd the check fails.
 */
final class ExecHealth {

    /** Runs a transient service to its end; the real one is {@code SystemdClient::runTransient}. */
    @FunctionalInterface
    interface Runner {
        TransientRun run(TransientUnit unit, Duration timeout) throws SystemdException;
    }

    private static final Duration MARGIN = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Runner runner;
    private final Path root;

    ExecHealth(Runner runner, Path root) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.root = Objects.requireNonNull(root, "root");
    }

    Optional<String> check(String unit, Health.Exec exec, Duration timeout) {
        String command = "health.exec " + String.join(" ", exec.argv());
        TransientUnit service;
        try {
            service = transientUnit(unit, exec, timeout);
        } catch (Refused e) {
            return Optional.of(command + " refused: " + e.getMessage());
        }
        TransientRun run;
        try {
            run = runner.run(service, timeout.plus(MARGIN));
        } catch (SystemdException.CallTimeout e) {
            return Optional.of(command + " did not finish within " + timeout.toMillis() + " ms");
        } catch (SystemdException e) {
            return Optional.of(command + " could not run as " + unit + "'s user (it never runs as the agent): "
                    + e.getMessage());
        }
        return verdict(command, run, timeout);
    }

    /** The transient service for the check; {@link Refused} when it would run as root. */
    TransientUnit transientUnit(String unit, Health.Exec exec, Duration timeout) throws Refused {
        EffectiveUnit loaded;
        try {
            loaded = UnitLoader.forRoot(root).load(unit);
        } catch (UnitFileException e) {
            throw new Refused("cannot load " + unit + ": " + e.getMessage());
        }
        EffectiveUnit resolved = Specifiers.forSystemUnit(loaded, root).resolveAll(loaded);
        TransientUnit.Builder builder = TransientUnit.service(name(unit))
                .description("unitguard health check of " + unit);
        List<TransientProperty> sandbox;
        try {
            sandbox = ProbeProperties.forHealthCheck(resolved);
        } catch (ProbeException e) {
            throw new Refused(e.getMessage());
        }
        sandbox.forEach(builder::property);
        boolean dynamic = sandbox.stream().anyMatch(p -> p.name().equals("DynamicUser") && p.value().equals(true));
        Optional<String> user = sandbox.stream().filter(p -> p.name().equals("User")).map(p -> (String) p.value())
                .filter(u -> !u.isEmpty()).reduce((a, b) -> b);
        if (dynamic && user.isEmpty()) {
            builder.user(prefix(unit)); // the dynamic user systemd names after the unit, not after this check
        } else if (!dynamic && (user.isEmpty() || user.get().equals("root") || user.get().equals("0"))) {
            throw new Refused(unit + " runs as root (" + (user.isEmpty() ? "no User=" : "User=" + user.get())
                    + "); health commands run only as the unit's own non-root user: use health.http");
        }
        return builder.booleanProperty("NoNewPrivileges", true)
                .stringProperty("CollectMode", "inactive-or-failed")
                .stringProperty("StandardOutput", "null")
                .stringProperty("StandardError", "null")
                .numberProperty("RuntimeMaxUSec", Math.max(1, timeout.toNanos() / 1000))
                .execStart(exec.argv().toArray(String[]::new))
                .build();
    }

    private static Optional<String> verdict(String command, TransientRun run, Duration timeout) {
        Optional<ServiceProperties> service = run.unit().service();
        if (!run.job().succeeded() && service.map(s -> s.execMainCode() == 0).orElse(true)) {
            return Optional.of(command + " did not start: job " + run.job().rawResult());
        }
        ServiceProperties s = service.orElseThrow();
        if (s.result().equals("success") && s.execMainStatus() == 0) {
            return Optional.empty();
        }
        if (s.result().equals("timeout")) {
            return Optional.of(command + " did not finish within " + timeout.toMillis() + " ms");
        }
        String how = switch (s.execMainCode()) {
            case 1 -> "exited with status " + s.execMainStatus();
            case 2, 3 -> "was killed by signal " + s.execMainStatus();
            default -> "ended with result " + s.result();
        };
        return Optional.of(command + " " + how + " (as user " + (s.user().isEmpty() ? "?" : s.user()) + ")");
    }

    /** {@code app} for {@code app.service} and {@code app@one.service}: systemd's unit name prefix. */
    static String prefix(String unit) {
        String base = unit.substring(0, unit.lastIndexOf('.'));
        int at = base.indexOf('@');
        return at < 0 ? base : base.substring(0, at);
    }

    /** {@code unitguard-health-NAME-RANDOM.service}, unique per run. */
    static String name(String unit) {
        String base = unit.replaceFirst("\\.service$", "").replaceAll("[^A-Za-z0-9_-]", "_");
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return "unitguard-health-" + (base.length() > 100 ? base.substring(0, 100) : base) + "-"
                + HexFormat.of().formatHex(random) + ".service";
    }

    /** The check cannot run as the unit's own non-root user. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
