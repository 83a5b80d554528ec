package dev.unitguard.learn;

import dev.unitguard.host.Accounts;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.GeneratedTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code unitguard learn-sample}: samples the processes of a running unit about once per interval for a window and
 * states what they used ({@link Observer}), with the user and group of the unit's first process (lowest pid, the main
 * process of a service that forks workers) and the capabilities any of them held ({@code CapEff}: what they may use,
 * an upper bound of what they do use). Runs as root with {@code CAP_SYS_PTRACE} in a transient unit the agent starts
 * ({@link SamplerUnit}); memory is bounded by {@link Needs} and {@link ProcReader}.
 */
final class Sampler {

    /** What a window of samples saw. */
    record Result(Requirements requirements, int samples, long dropped) {
    }

    private final ProcReader reader;
    private final Accounts accounts;
    private final Map<Integer, String> capabilityNames;

    Sampler(ProcReader reader, Accounts accounts) {
        this.reader = reader;
        this.accounts = accounts;
        this.capabilityNames = capabilityNames();
    }

    /** Samples until {@code window} has passed (at least once), sleeping {@code interval} between samples. */
    Result sample(String unit, Duration window, Duration interval) throws IOException, InterruptedException {
        Needs needs = new Needs();
        Instant end = Instant.now().plus(window);
        int samples = 0;
        long mainPid = -1;
        Optional<String> user = Optional.empty();
        Optional<String> group = Optional.empty();
        do {
            List<ProcessSample> processes = new ArrayList<>();
            for (long pid : reader.pidsOf(unit)) {
                reader.read(pid).ifPresent(processes::add);
            }
            samples++;
            if (!processes.isEmpty()) {
                observe(processes, needs);
                if (mainPid < 0) {
                    ProcessSample main = processes.get(0);
                    mainPid = main.pid();
                    user = accounts.user(Integer.toString(main.uid())).map(Accounts.User::name);
                    group = accounts.group(Integer.toString(main.gid())).map(Accounts.Group::name);
                }
            }
            Duration left = Duration.between(Instant.now(), end);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            Thread.sleep(Math.min(interval.toMillis(), left.toMillis()));
        } while (true);
        return new Result(needs.requirements(user, group), samples, needs.dropped());
    }

    /** One sample: the socket table of each network namespace read once, then every process. */
    private void observe(List<ProcessSample> processes, Needs needs) throws IOException {
        Map<String, List<ProcessSample>> byNamespace = new HashMap<>();
        Map<String, Long> firstPid = new HashMap<>();
        for (ProcessSample p : processes) {
            String ns = namespace(p.pid());
            byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(p);
            firstPid.putIfAbsent(ns, p.pid());
            needs.capabilities(capabilities(p.capEff()));
        }
        for (Map.Entry<String, List<ProcessSample>> e : byNamespace.entrySet()) {
            SocketTable table = SocketTable.read(reader.net(firstPid.get(e.getKey())));
            Observer.observe(e.getValue(), table, needs);
        }
    }

    private String namespace(long pid) {
        try {
            return Files.readSymbolicLink(reader.proc().resolve(pid + "/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The names of the bits set in a {@code CapEff} mask, as systemd names capabilities ({@code CAP_CHOWN}). */
    Set<String> capabilities(long mask) {
        Set<String> names = new TreeSet<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & 1L << bit) != 0) {
                names.add(capabilityNames.getOrDefault(bit, "CAP_" + bit));
            }
        }
        names.removeIf(n -> !n.matches("CAP_[A-Z0-9_]+"));
        return names;
    }

    /** Number to name, from the newest generated table of {@code systemd-analyze capability}. */
    private static Map<Integer, String> capabilityNames() {
        Map<Integer, String> names = new HashMap<>();
        for (String line : GeneratedTable.lines(Sampler.class, "/dev/unitguard/exposure/capabilities-262.txt")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 2 && !f[0].startsWith("#") && f[1].matches("[0-9]+")) {
                names.put(Integer.parseInt(f[1]), f[0].toUpperCase(java.util.Locale.ROOT));
            }
        }
        return Map.copyOf(names);
    }
}
