package dev.unitguard.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Keeps Micrometer's JVM and process binders within Prometheus' naming rules, so that {@code promtool check metrics}
 * passes on the whole scrape. Two binder meters break them: {@code process.cpu.time} (nanoseconds, exposed as
 * {@code process_cpu_time_ns_total}: "metric names should not contain abbreviated units") is replaced by the
 * standard {@code process_cpu_seconds_total}; {@code system.cpu.count} (a gauge ending in {@code _count}, a suffix
 * reserved for summaries and histograms) is renamed {@code system_cpus_available}. Must run before the binders bind.
 */
final class JvmMeterNames {

    static final String PROCESS_CPU_TIME = "process.cpu.time";
    static final String SYSTEM_CPU_COUNT = "system.cpu.count";

    private JvmMeterNames() {
    }

    static void apply(MeterRegistry registry) {
        registry.config().meterFilter(MeterFilter.denyNameStartsWith(PROCESS_CPU_TIME));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals(SYSTEM_CPU_COUNT) ? id.withName("system.cpus.available") : id;
            }
        });
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            FunctionCounter.builder("process.cpu", process, p -> p.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the agent's process")
                    .register(registry);
        }
    }
}
