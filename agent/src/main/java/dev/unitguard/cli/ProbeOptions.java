package dev.unitguard.cli;

import dev.unitguard.probe.Probe;
import dev.unitguard.probe.ProbeException;
import dev.unitguard.probe.ProbeResult;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --probe}, {@code --bus} and {@code --probe-timeout}: the dynamic check through the local systemd. */
final class ProbeOptions {

    /** dbus-java announces its transport at INFO on every connection: kept off the command line's stderr. */
    private static final java.util.logging.Logger DBUS_LOG = java.util.logging.Logger.getLogger("org.freedesktop.dbus");

    @Option(names = "--probe", description = "Also run the requirements inside the real sandbox: a transient "
            + "service started through systemd (needs root and a running systemd).")
    boolean enabled;

    @Option(names = "--bus", paramLabel = "ADDRESS",
            description = "The D-Bus address of systemd's system bus (default: $DBUS_SYSTEM_BUS_ADDRESS or "
                    + SystemdClient.SYSTEM_BUS + ").")
    String bus;

    @Option(names = "--probe-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Stop a probe that runs longer than this (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    String address() {
        return Optional.ofNullable(bus).orElseGet(SystemdClient::systemBusAddress);
    }

    /** Runs the probe; a probe that cannot run is an InputException (exit 2) with the reason. */
    ProbeResult run(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements) {
        if (timeoutSeconds <= 0) {
            throw new InputException("--probe-timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        DBUS_LOG.setLevel(java.util.logging.Level.WARNING);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (SystemdClient client = SystemdClient.forAddress(address(), Duration.ofSeconds(10),
                timeout.plusSeconds(10))) {
            return new Probe(client, Journal.local(), Path.of("/"), timeout).run(unit, candidate, requirements);
        } catch (ProbeException e) {
            throw new InputException(e.getMessage());
        }
    }
}
