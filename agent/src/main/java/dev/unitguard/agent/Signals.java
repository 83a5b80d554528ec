package dev.unitguard.agent;

/**
 * The agent's signal handlers. Java has no public API for them: {@code sun.misc.Signal} (module jdk.unsupported,
 * kept accessible by JEP 260 for exactly this) is used here and nowhere else. A handler runs on a thread of its own
 * that the JVM starts per signal.
 */
public final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on each {@code name} ("TERM", "INT", "HUP") instead of the JVM's default. */
    public static void handle(String name, Runnable action) {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
    }
}
