package dev.unitguard.bench;

import dev.unitguard.check.CheckReport;
import dev.unitguard.exposure.SecurityAssessor;
import dev.unitguard.host.Access;
import dev.unitguard.host.HostView;
import dev.unitguard.host.HostViews;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Location;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The static core, warm and in-process, over the service unit files of a host ({@code -p dir=...}, by default the
 * machine's /lib/systemd/system): parse one file, load one unit (fragment and drop-ins through the search path
 * index), check one unit (a candidate and a path requirement against the host, as an API check does: a snapshot of
 * the kept {@link HostView}; and as it did before, a new view per check), evaluate one unit against a host view kept
 * warm (and against one snapshot, every lookup made), and score every unit (the row
 * "scoring the host's service files"). The per-unit benchmarks cycle through the units.
 *
 * <p>Settings for numbers that hold from run to run on a shared machine: three forks (each JIT-compiles and lays out
 * its heap its own way, so one fork says little about the next), 8 × 1 s of warm-up (the JIT has the whole call tree
 * compiled before the first measured second, also when other work competes for the cores) and 8 × 1 s measured in
 * each; a fixed, pre-touched heap with the agent's collector (SerialGC, as the shipped unit runs it), so that no
 * heap resizing or concurrent GC thread lands in one iteration and not another. {@link CpuTimeProfiler} adds the CPU time
 * per operation, which waiting for a core does not inflate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"})
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 8, time = 1)
public class StaticCoreBenchmark {

    @Param("/lib/systemd/system")
    public String dir;

    private final Path root = Path.of("/");
    private List<Path> files;
    private List<String> texts;
    private List<String> names;
    private List<EffectiveUnit> loaded;
    private HostView warmHost;
    private HostView warmSnapshot;
    private final List<Assignment> candidate = List.of(
            new Assignment("Service", "ProtectSystem", "strict", Location.synthetic("candidate")),
            new Assignment("Service", "PrivateTmp", "yes", Location.synthetic("candidate")));
    private final Requirements requirements = new Requirements(Optional.empty(), Optional.empty(),
            List.of(new PathRequirement("/etc/hostname", Access.parse("r"), false)), List.of());
    private int next;

    @Setup
    public void setUp() throws IOException {
        try (Stream<Path> list = Files.list(Path.of(dir))) {
            files = list.filter(f -> f.toString().endsWith(".service") && !f.getFileName().toString().contains("@"))
                    .sorted().toList();
        }
        texts = new ArrayList<>();
        names = new ArrayList<>();
        loaded = new ArrayList<>();
        UnitLoader loader = UnitLoader.forRoot(root);
        for (Path file : files) {
            try {
                EffectiveUnit unit = loader.load(file.getFileName().toString());
                texts.add(Files.readString(file));
                names.add(file.getFileName().toString());
                loaded.add(unit);
            } catch (UnitFileException e) {
                // masked or unloadable on this host: not part of the set
            }
        }
        warmHost = HostView.of(root);
        warmSnapshot = warmHost.snapshot();
    }

    private int next() {
        next = (next + 1) % names.size();
        return next;
    }

    /** The number of units in the set (for the ratios: per-unit times times this). */
    public int units() {
        return names.size();
    }

    @Benchmark
    public UnitFile parse() throws UnitFileException {
        int i = next();
        return UnitFile.parse(Path.of(names.get(i)), texts.get(i), "service");
    }

    @Benchmark
    public EffectiveUnit load() throws UnitFileException {
        return UnitLoader.forRoot(root).load(names.get(next()));
    }

    /** As the API checks: a snapshot of the host view kept while passwd, group and mountinfo stay the same. */
    @Benchmark
    public CheckReport check() throws Exception {
        return CheckReport.sandbox(HostViews.current(root), loaded.get(next()), candidate, requirements);
    }

    /** As the API checked before: a new host view (accounts, mount table, ACLs read anew) per check. */
    @Benchmark
    public CheckReport checkNewHostView() throws Exception {
        return CheckReport.sandbox(HostView.of(root), loaded.get(next()), candidate, requirements);
    }

    /** A kept host view: every path the check needs is stat'ed (once per check), ACLs come from the cache. */
    @Benchmark
    public CheckReport evaluateWarmHost() throws Exception {
        return CheckReport.sandbox(warmHost, loaded.get(next()), candidate, requirements);
    }

    /**
     * One snapshot for all checks: every lookup already made, no system call left. The floor of the evaluation
     * itself, and what a file cache invalidated by change (inotify) would give.
     */
    @Benchmark
    public CheckReport evaluateWarmSnapshot() throws Exception {
        return CheckReport.sandbox(warmSnapshot, loaded.get(next()), candidate, requirements);
    }

    @Benchmark
    public int scoreAll() throws UnitFileException {
        UnitLoader loader = UnitLoader.forRoot(root);
        int sum = 0;
        for (String name : names) {
            sum += SecurityAssessor.assess(loader.load(name)).exposure().unscaledValue().intValue();
        }
        return sum;
    }
}
