package dev.unitguard.lab;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition about a lab (a unit's state, a port answering) until it holds or the time is up. */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(250);

    private Await() {
    }

    /** Returns once {@code condition} holds; an {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
