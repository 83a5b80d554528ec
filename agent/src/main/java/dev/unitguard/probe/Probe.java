package dev.unitguard.probe;

import dev.unitguard.host.HostView;
import dev.unitguard.host.HostViews;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.Listening;
import dev.unitguard.systemd.RunningTransient;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.systemd.TransientUnit;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Specifiers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dynamic check: runs the requirements inside the unit's real sandbox. A transient service gets the unit's
 * identity and sandbox directives plus the candidate ({@link ProbeProperties}) and a {@code /bin/sh -c} command
 * ({@link ProbeScript}) that tests each required path and device without changing anything. The unit itself is
 * never touched; the transient unit is released (and garbage-collected by systemd, failed or not) and a probe that
 * runs longer than the timeout is stopped by systemd ({@code RuntimeMaxSec=}) and by the client.
 */
public final class Probe {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration JOURNAL_WAIT = Duration.ofSeconds(5);
    private static final Pattern PROBE_UNIT =
            Pattern.compile("unitguard-probe-[A-Za-z0-9_-]{0,100}-[0-9a-f]{12}\\.service");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SystemdClient client;
    final Journal journal;
    final Path root;
    private final Duration timeout;

    /**
     * @param root the root of the machine systemd runs on, for resolving specifiers ({@code /} normally)
     */
    public Probe(SystemdClient client, Journal journal, Path root, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.root = Objects.requireNonNull(root, "root");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Probes {@code unit} with {@code candidate} layered on it as a drop-in (as the static check does). */
    public ProbeResult run(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
            throws ProbeException {
        return run(unit.withCandidate(candidate), requirements);
    }

    /**
     * Probes {@code unit} as it is. Probes of one unit run one at a time ({@link ProbeQueue}): this one waits at
     * most as long as a probe may take (its run and the journal read), then fails naming the probe it waited for.
     */
    public ProbeResult run(EffectiveUnit unit, Requirements requirements) throws ProbeException {
        try (RunningProbe started = start(unit, requirements)) {
            return started.result();
        }
    }

    /**
     * Starts the probe of {@code unit} with {@code candidate} layered on it and returns while it runs, so that the
     * caller can do its own work meanwhile (the static check) before {@link RunningProbe#result}; as {@link #run}.
     */
    public RunningProbe start(EffectiveUnit unit, List<Assignment> candidate, Requirements requirements)
            throws ProbeException {
        return start(unit.withCandidate(candidate), requirements);
    }

    private RunningProbe start(EffectiveUnit unit, Requirements requirements) throws ProbeException {
        String name = name(unit.name());
        // the match for the probe unit's signals is added on the bus while the turn is taken and the sandbox built
        Listening listening = client.listen(name);
        ProbeQueue.Turn turn;
        try {
            turn = ProbeQueue.take(unit.name(), client, runTimeout().plus(JOURNAL_WAIT));
        } catch (ProbeException | RuntimeException e) {
            listening.close();
            throw e;
        }
        Sandbox sandbox = null;
        try {
            sandbox = sandbox(unit, requirements, name);
            Instant started = Instant.now();
            return new RunningProbe(this, unit, requirements, sandbox, turn, started,
                    launch(unit, sandbox.service(), listening));
        } catch (ProbeException | RuntimeException e) {
            listening.close();
            release(turn, sandbox);
            throw e;
        }
    }

    private RunningTransient launch(EffectiveUnit unit, TransientUnit service, Listening listening)
            throws ProbeException {
        try {
            return client.launch(service, listening, runTimeout());
        } catch (SystemdException e) {
            throw failed(unit, service.name(), e);
        }
    }

    /** The probe's failure: no systemd, or the call that failed (the unit stopped and its failure forgotten). */
    ProbeException failed(EffectiveUnit unit, String service, SystemdException e) {
        if (e instanceof SystemdException.BusLost lost) {
            return unreachable(lost);
        }
        cleanUp(service);
        return new ProbeException("probe of " + unit.name() + " as " + service + " failed: " + e.getMessage(), e);
    }

    /** Removes the probe's output file and mount points, and gives the unit's turn back. */
    void release(ProbeQueue.Turn turn, Sandbox sandbox) {
        try {
            if (sandbox != null) {
                sandbox.output().ifPresent(ProbeOutput::remove);
                ProbeDirectories.removeMountPoints(root, sandbox.directories().mountPoints());
            }
        } finally {
            turn.close();
        }
    }

    /** How long one probe may take: its own limit and time for systemd to start and stop it. */
    private Duration runTimeout() {
        return timeout.plus(Duration.ofSeconds(10));
    }

    /** {@code no systemd reachable at ADDRESS: why} when connecting failed, else the lost connection. */
    private static ProbeException unreachable(SystemdException.BusLost e) {
        String detail = e.getMessage().replaceFirst("^.*? lost: ", "");
        if (detail.startsWith("cannot connect")) {
            return new ProbeException("no systemd reachable at " + e.address() + ": "
                    + detail.replaceFirst("^cannot connect: ", ""), e);
        }
        return new ProbeException("lost the connection to systemd at " + e.address() + " during the probe: "
                + detail, e);
    }

    /** The transient service, the script it runs, and what the probe does not see because of how it is built. */
    record Sandbox(TransientUnit service, ProbeScript script, ProbeDirectories.Plan directories,
                   List<String> notSeen, Optional<ProbeOutput> output) {
    }

    /**
     * The transient service: the unit's directives ({@link ProbeProperties}, none that acts on the host), the
     * manifest's user and group if given, mounts in place of the unit's {@code *Directory=} settings
     * ({@link ProbeDirectories}), exec for the probe's own programs under {@code NoExecPaths=}
     * ({@link ProbeExecAllowance}), the script.
     */
    Sandbox sandbox(EffectiveUnit unit, Requirements requirements, String name) throws ProbeException {
        EffectiveUnit resolved = Specifiers.forSystemUnit(unit, root).resolveAll(unit);
        HostView host = HostViews.current(root);
        List<TransientProperty> properties = new ArrayList<>(ProbeProperties.of(resolved));
        Optional<String> user = requirements.user().or(() -> resolved.value("Service", "User").map(String::trim));
        Optional<String> group = requirements.group().or(() -> resolved.value("Service", "Group").map(String::trim));
        ProbeDirectories.Plan directories = ProbeDirectories.of(resolved, host, user, group);
        List<String> exec = ProbeExecAllowance.of(resolved, host);
        ProbeScript script = ProbeScript.of(requirements, host, ProbeExecAllowance.own(resolved, host, exec));
        append(properties, "BindPaths", "a(ssbt)", directories.binds());
        append(properties, "TemporaryFileSystem", "a(ss)", directories.tmpfs());
        append(properties, "ExecPaths", "as", exec);
        List<String> notSeen = new ArrayList<>(directories.notSeen());
        if (!exec.isEmpty()) {
            notSeen.add(ProbeExecAllowance.notSeen(exec));
        }
        TransientUnit.Builder builder = TransientUnit.service(name)
                .description("unitguard probe of " + unit.name());
        for (TransientProperty p : properties) {
            boolean overridden = p.name().equals("User") && requirements.user().isPresent()
                    || p.name().equals("Group") && requirements.group().isPresent();
            if (!overridden) {
                builder.property(p);
            }
        }
        requirements.user().ifPresent(builder::user);
        requirements.group().ifPresent(builder::group);
        Optional<ProbeOutput> output = ProbeOutput.of(root, name);
        output.ifPresentOrElse(o -> builder.stringProperty("StandardOutputFile", o.path()),
                () -> builder.stringProperty("StandardOutput", "journal"));
        TransientUnit service = builder.stringProperty("CollectMode", "inactive-or-failed")
                .numberProperty("RuntimeMaxUSec", timeout.toNanos() / 1000)
                .execStart("/bin/sh", "-c", script.execArgument())
                .build();
        return new Sandbox(service, script, directories, notSeen, output);
    }

    /** Adds {@code extra} to the list property {@code key}, or adds the property, so that each is passed once. */
    private static void append(List<TransientProperty> properties, String key, String signature, List<?> extra) {
        if (extra.isEmpty()) {
            return;
        }
        for (int i = 0; i < properties.size(); i++) {
            TransientProperty p = properties.get(i);
            if (p.name().equals(key)) {
                List<Object> merged = new ArrayList<>((List<?>) p.value());
                merged.addAll(extra);
                properties.set(i, new TransientProperty(key, signature, List.copyOf(merged)));
                return;
            }
        }
        properties.add(new TransientProperty(key, signature, List.copyOf(extra)));
    }

    /** After a failed call: stop the unit and forget its failure; errors here change nothing for the caller. */
    private void cleanUp(String name) {
        try {
            client.stop(name, Duration.ofSeconds(10));
        } catch (SystemdException e) {
            // already gone
        }
        try {
            client.resetFailed(name);
        } catch (SystemdException e) {
            // already collected
        }
    }

    /** {@code unitguard-probe-NAME-RANDOM.service}, unique per run. */
    static String name(String unitName) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return prefix(unitName) + HexFormat.of().formatHex(random) + ".service";
    }

    /** Whether {@code unit} is named as {@link #name} names probes: {@code unitguard-probe-NAME-<12 hex>.service}. */
    public static boolean isProbeUnit(String unit) {
        return PROBE_UNIT.matcher(unit).matches();
    }

    /** {@code unitguard-probe-NAME-}: what the names of the probes of one unit start with. */
    static String prefix(String unitName) {
        String base = unitName.replaceFirst("\\.service$", "").replaceAll("[^A-Za-z0-9_-]", "_");
        if (base.length() > 100) {
            base = base.substring(0, 100);
        }
        return "unitguard-probe-" + base + "-";
    }
}
