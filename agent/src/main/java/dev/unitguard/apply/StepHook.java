package dev.unitguard.apply;

/** Called at each {@link Step} of a change; the default does nothing. Tests inject crashes here. */
@FunctionalInterface
public interface StepHook {

    StepHook NONE = step -> { };

    void reached(Step step);
}
