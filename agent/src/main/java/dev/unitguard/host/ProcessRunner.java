package dev.unitguard.host;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one way unitguard runs a program: an argv list (never a shell), stdin from given bytes or {@code /dev/null},
 * stdout and stderr read concurrently (a child writing more than a pipe holds never blocks) and each kept up to a
 * bound (the rest read and discarded), and a timeout after which the child and its descendants are killed. A runner
 * is an immutable policy; {@link #run} returns how the program ended as a {@link ProcessResult}.
 */
public final class ProcessRunner {

    /** The bytes of each output stream kept unless {@link #maxOutput} says otherwise. */
    public static final int DEFAULT_MAX_OUTPUT = 1024 * 1024;
    /** How long to wait for the output pipes to close once the child exited or was killed, past the timeout. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final File NO_INPUT = new File("/dev/null");
    private static final ExecutorService PUMPS =
            Executors.newCachedThreadPool(DaemonThreads.named("unitguard-process-io"));

    private final Duration timeout;
    private final int maxStdout;
    private final int maxStderr;
    private final Map<String, String> environment;
    private final boolean stderrToStdout;

    private ProcessRunner(Duration timeout, int maxStdout, int maxStderr, Map<String, String> environment,
                          boolean stderrToStdout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxStdout < 0 || maxStderr < 0) {
            throw new IllegalArgumentException("output bounds must not be negative: " + maxStdout + ", " + maxStderr);
        }
        this.timeout = timeout;
        this.maxStdout = maxStdout;
        this.maxStderr = maxStderr;
        this.environment = environment == null ? null : Map.copyOf(environment);
        this.stderrToStdout = stderrToStdout;
    }

    /** Runs programs in this process's environment, keeping {@link #DEFAULT_MAX_OUTPUT} bytes of each stream. */
    public static ProcessRunner withTimeout(Duration timeout) {
        return new ProcessRunner(Objects.requireNonNull(timeout, "timeout"), DEFAULT_MAX_OUTPUT, DEFAULT_MAX_OUTPUT,
                null, false);
    }

    /** Keeps at most {@code stdoutBytes} of stdout and {@code stderrBytes} of stderr. */
    public ProcessRunner maxOutput(int stdoutBytes, int stderrBytes) {
        return new ProcessRunner(timeout, stdoutBytes, stderrBytes, environment, stderrToStdout);
    }

    /** Runs programs with exactly these environment variables instead of this process's. */
    public ProcessRunner environment(Map<String, String> variables) {
        return new ProcessRunner(timeout, maxStdout, maxStderr, Objects.requireNonNull(variables, "variables"),
                stderrToStdout);
    }

    /** Sends stderr into stdout (one stream in the order written, bounded by stdout's bound); stderr reads empty. */
    public ProcessRunner stderrToStdout() {
        return new ProcessRunner(timeout, maxStdout, maxStderr, environment, true);
    }

    /** Runs {@code command} with no input. */
    public ProcessResult run(List<String> command) throws InterruptedException {
        return run(command, null);
    }

    /**
     * Runs {@code command} ({@code command.get(0)} the program, looked up in PATH when it has no slash), writing
     * {@code stdin} to it (null: no input). Interrupted, it kills the child before it throws.
     */
    public ProcessResult run(List<String> command, byte[] stdin) throws InterruptedException {
        List<String> argv = List.copyOf(command);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no program to run");
        }
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(stderrToStdout);
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ProcessResult.NotStarted(argv, "cannot run " + argv.get(0) + ": " + reason(e));
        }
        Pump out = Pump.start(process.getInputStream(), maxStdout);
        Pump err = Pump.start(process.getErrorStream(), stderrToStdout ? 0 : maxStderr);
        if (stdin != null) {
            PUMPS.execute(() -> write(process.getOutputStream(), stdin.clone()));
        }
        try {
            boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                kill(process);
            }
            long pipesBy = Math.max(deadline, System.nanoTime()) + GRACE.toNanos();
            out.awaitEnd(pipesBy);
            err.awaitEnd(pipesBy);
            return exited ? new ProcessResult.Exited(argv, process.exitValue(), out.output(), err.output())
                    : new ProcessResult.TimedOut(argv, timeout, out.output(), err.output());
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    /**
     * Kills the child, then the descendants it had a moment before (a descendant that escaped, or was forked after
     * that moment, lives on: its pipes are no longer waited for past the grace period).
     */
    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void write(OutputStream to, byte[] bytes) {
        try (to) {
            to.write(bytes);
        } catch (IOException e) {
            // the child closed its input before reading all of it: its choice, visible in its exit status
        }
    }

    /** {@code No such file or directory} from {@code Cannot run program "x": error=2, No such file or directory}. */
    private static String reason(IOException e) {
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : String.valueOf(e.getMessage());
        return message.replaceFirst("^error=\\d+, ", "");
    }

    /** Reads one stream to its end on a pump thread, keeping the first {@code max} bytes. */
    private static final class Pump {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final int max;
        private boolean truncated;

        private Pump(int max) {
            this.max = max;
        }

        static Pump start(InputStream in, int max) {
            Pump pump = new Pump(max);
            PUMPS.execute(() -> pump.drain(in));
            return pump;
        }

        private void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    keep(buffer, n);
                }
            } catch (IOException e) {
                synchronized (this) {
                    truncated = true; // the stream broke: what was read is all there is
                }
            } finally {
                ended.countDown();
            }
        }

        private synchronized void keep(byte[] buffer, int n) {
            int room = max - kept.size();
            kept.write(buffer, 0, Math.min(room, n));
            truncated |= n > room;
        }

        void awaitEnd(long byNanos) throws InterruptedException {
            ended.await(Math.max(0, byNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        /** What was kept; truncated also when the stream had not ended (an escaped descendant holds it open). */
        synchronized ProcessResult.Output output() {
            return new ProcessResult.Output(kept.toByteArray(), truncated || ended.getCount() > 0);
        }
    }
}
