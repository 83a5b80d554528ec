package dev.unitguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The CPU time the benchmark's threads spent per operation ({@code -prof dev.unitguard.bench.CpuTimeProfiler}; the
 * secondary metric {@code cpu}, µs/op): on a machine shared with other work, the wall time per operation also counts
 * the time the thread waited for a core, which the CPU time does not. Read with {@link ThreadMXBean} before and
 * after each iteration, over the threads JMH names {@code ...-jmh-worker-N}.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long before;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark threads per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = workerCpuNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long spent = workerCpuNanos() - before;
        long ops = result.getMetadata().getMeasuredOps();
        double perOp = ops == 0 ? Double.NaN : spent / 1000.0 / ops;
        return List.of(new ScalarResult("cpu", perOp, "us/op", AggregationPolicy.AVG));
    }

    /** The CPU time of the worker threads alive now (JMH keeps them for the whole run of a benchmark). */
    private static long workerCpuNanos() {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains("-jmh-worker-")) {
                long cpu = THREADS.getThreadCpuTime(t.getThreadId());
                sum += Math.max(cpu, 0);
            }
        }
        return sum;
    }
}
