package dev.unitguard.testing;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the log records (INFO and above, from any thread) made while a test runs, and prints them on stderr when
 * the test fails: passing tests stay quiet (logging.properties shows only warnings), a failing one shows its log.
 * Registered for every test through META-INF/services and junit-platform.properties.
 */
public final class FailureLog implements BeforeEachCallback, AfterEachCallback {

    /** At most this many records per test are kept (the last ones). */
    static final int LIMIT = 2000;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FailureLog.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Capture capture = new Capture();
        // JournalLogging.configure resets the LogManager; the handler is added to the root logger per test.
        Logger.getLogger("").addHandler(capture);
        context.getStore(NAMESPACE).put(Capture.class, capture);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Capture capture = context.getStore(NAMESPACE).remove(Capture.class, Capture.class);
        if (capture == null) {
            return;
        }
        Logger.getLogger("").removeHandler(capture);
        context.getExecutionException().ifPresent(failure -> capture.print(context.getDisplayName(),
                context.getRequiredTestClass().getName(), System.err));
    }

    /** The records of one test, in memory. */
    static final class Capture extends Handler {
        private final List<LogRecord> records = new ArrayList<>();
        private int dropped;

        Capture() {
            setLevel(Level.INFO);
            setFormatter(new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            if (records.size() == LIMIT) {
                records.remove(0);
                dropped++;
            }
            records.add(record);
        }

        synchronized void print(String test, String testClass, PrintStream out) {
            if (records.isEmpty()) {
                return;
            }
            StringBuilder text = new StringBuilder("---- log of failed test " + testClass + " " + test
                    + (dropped > 0 ? " (first " + dropped + " records dropped)" : "") + "\n");
            records.forEach(r -> text.append(getFormatter().format(r)));
            text.append("---- end of log\n");
            out.print(text);
            out.flush();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
