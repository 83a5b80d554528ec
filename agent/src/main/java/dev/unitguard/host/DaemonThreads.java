package dev.unitguard.host;

import java.util.concurrent.ThreadFactory;

/** The agent's worker threads: named for thread dumps, daemons so that none of them keeps the JVM from exiting. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Daemon threads all named {@code name} ({@code unitguard-units}, {@code unitguard-dbus-call}). */
    public static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
