package dev.unitguard.agent;

import java.io.PrintStream;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging for journald: one line per record on stderr, prefixed with the syslog level journald reads
 * ({@code <3>} error, {@code <4>} warning, {@code <6>} info, {@code <7>} debug). dbus-java (through slf4j-jdk14)
 * and Netty log at warning and above only: their info and debug lines describe every message on the bus.
 */
public final class JournalLogging {

    private static final Map<String, Level> LEVELS = Map.of(
            "debug", Level.FINE, "info", Level.INFO, "warning", Level.WARNING, "error", Level.SEVERE);
    private static final Map<String, Level> QUIET = Map.of(
            "org.freedesktop.dbus", Level.WARNING, "io.netty", Level.WARNING, "jnr", Level.WARNING);

    /** LogManager holds loggers weakly: a level set on a logger nobody references would be forgotten. */
    private static final java.util.List<Logger> CONFIGURED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private JournalLogging() {
    }

    /** Replaces the root handlers; {@code level} is one of debug, info, warning, error. */
    public static void configure(String level, PrintStream out) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level rootLevel = LEVELS.getOrDefault(level, Level.INFO);
        root.setLevel(rootLevel);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    out.print(getFormatter().format(record));
                    out.flush();
                }
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        };
        handler.setLevel(Level.ALL);
        handler.setFormatter(new PrefixFormatter());
        root.addHandler(handler);
        CONFIGURED.clear();
        QUIET.forEach((name, quiet) -> {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(quiet.intValue() > rootLevel.intValue() ? quiet : rootLevel);
            CONFIGURED.add(logger);
        });
    }

    /** {@code <6>unitguard: message} (and the exception's first line, for warnings and errors). */
    static final class PrefixFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder("<").append(priority(record.getLevel())).append(">")
                    .append(formatMessage(record).replace('\n', ' '));
            if (record.getThrown() != null) {
                Throwable thrown = record.getThrown();
                line.append(": ").append(thrown.getClass().getName()).append(": ").append(thrown.getMessage());
            }
            return line.append('\n').toString();
        }

        static int priority(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return 3;
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return 4;
            }
            return level.intValue() >= Level.INFO.intValue() ? 6 : 7;
        }
    }
}
