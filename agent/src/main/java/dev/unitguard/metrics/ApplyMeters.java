package dev.unitguard.metrics;

import dev.unitguard.apply.ApplyMetrics;
import dev.unitguard.apply.Operation;
import dev.unitguard.apply.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The apply engine's meters: {@code unitguard_applies_total{operation,outcome}}, {@code
 * unitguard_apply_duration_seconds{operation}} and {@code unitguard_unit_dropin_generation{unit}} (the history id
 * of the change in force). Every outcome series exists from the start at 0, so a rate is defined before the first
 * apply.
 */
final class ApplyMeters implements ApplyMetrics {

    private final MeterRegistry registry;
    private final MultiGauge generations;
    private final Map<String, Long> generation = new ConcurrentSkipListMap<>();
    private final Runnable changed;

    /** {@code changed} runs after every change to these meters (see {@code AgentMetrics#generation}). */
    ApplyMeters(MeterRegistry registry, Runnable changed) {
        this.registry = registry;
        this.changed = changed;
        this.generations = MultiGauge.builder("unitguard.unit.dropin.generation")
                .description("History id of the change now in force for the unit (0: none recorded)")
                .register(registry);
        for (Operation operation : Operation.values()) {
            for (Outcome outcome : Outcome.values()) {
                if (outcome != Outcome.INTERRUPTED_UNDONE) {
                    counter(operation, outcome);
                }
            }
        }
    }

    @Override
    public void finished(String unit, Operation operation, Outcome outcome, Duration duration) {
        counter(operation, outcome).increment();
        Timer.builder("unitguard.apply.duration").description("Time to carry out a change request")
                .tag("operation", operation.word()).register(registry).record(duration);
        changed.run();
    }

    @Override
    public void generation(String unit, long value) {
        generation.put(unit, value);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        generation.forEach((name, g) -> rows.add(MultiGauge.Row.of(Tags.of("unit", name), g)));
        generations.register(rows, true);
        changed.run();
    }

    private Counter counter(Operation operation, Outcome outcome) {
        return Counter.builder("unitguard.applies").description("Change requests answered, by operation and outcome")
                .tags("operation", operation.word(), "outcome", outcome.word()).register(registry);
    }
}
