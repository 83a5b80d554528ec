package dev.unitguard.api;

import dev.unitguard.host.HostView;
import dev.unitguard.host.HostViews;
import dev.unitguard.json.JsonPath;
import dev.unitguard.learn.Learner;
import dev.unitguard.metrics.UnitStateCache;
import dev.unitguard.probe.Probe;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitLoader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's units as the routes reach them: their files under {@code root}, their states in the {@link
 * UnitStateCache}, and systemd for the probe and learning. Loading a unit answers the route's problem (404, 422).
 */
record HostUnits(Path root, UnitStateCache cache, SystemdClient systemd) {

    private static final JsonPath PROBE = JsonPath.of("probe");

    HostUnits {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(systemd, "systemd");
    }

    /**
     * Loads a unit under {@code root} as the running manager holds it ({@link EffectiveUnit#live()}: scored as
     * {@code systemd-analyze security UNIT}): 404 when there is none of that name, 422 when it cannot be used.
     */
    EffectiveUnit load(String name) {
        try {
            return UnitLoader.forRoot(root).load(name).live();
        } catch (UnitFileException e) {
            if (e.isNotFound()) {
                throw Problem.Kind.UNIT_NOT_FOUND.exception("no unit " + name + " in the unit search path");
            }
            throw Problem.Kind.UNPROCESSABLE_UNIT.exception(e.getMessage());
        }
    }

    /**
     * The machine's files, accounts and mounts under {@code root}: a fresh snapshot of the view kept while they stay
     * the same ({@link HostViews#current}).
     */
    HostView host() {
        return HostViews.current(root);
    }

    /** The dynamic probe: transient services through systemd (blocking, for a worker). */
    Probe probe() {
        return new Probe(systemd, Journal.local(), root, Probe.DEFAULT_TIMEOUT);
    }

    Learner learner() {
        return new Learner(systemd, root);
    }

    /** The 503 naming {@code probe} a request asking for the probe gets while systemd cannot be reached. */
    Optional<Problem.ProblemException> probeUnavailable() {
        return cache.unavailable().map(reason -> Problem.Kind.SYSTEMD_UNAVAILABLE.exception(PROBE,
                "the probe needs systemd: " + reason));
    }
}
