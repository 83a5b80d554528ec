package dev.unitguard.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a program run by {@link ProcessRunner} ended: it exited (with a status), it was killed at the timeout, or it
 * could not be started. Each names the command it ran.
 */
public sealed interface ProcessResult {

    /** The argv that was run; the program is its first element. */
    List<String> command();

    /** This result as {@link Exited}, or an IOException saying why there is none (timed out, not started). */
    Exited exited() throws IOException;

    /** One of the child's output streams, at most the runner's bound of it; {@code truncated} when more was discarded. */
    record Output(byte[] bytes, boolean truncated) {
        public Output {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The bytes as UTF-8 (malformed input replaced). */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** The text's lines, without line terminators. */
        public List<String> lines() {
            return text().lines().toList();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Output other && truncated == other.truncated
                    && java.util.Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(bytes) + Boolean.hashCode(truncated);
        }

        @Override
        public String toString() {
            return "Output[" + bytes.length + " bytes" + (truncated ? ", truncated" : "") + "]";
        }
    }

    /** The program exited with {@code status} (128 + N when signal N ended it). */
    record Exited(List<String> command, int status, Output stdout, Output stderr) implements ProcessResult {
        public Exited {
            command = List.copyOf(command);
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        public boolean succeeded() {
            return status == 0;
        }

        @Override
        public Exited exited() {
            return this;
        }
    }

    /** The program ran longer than {@code timeout} and was killed with its descendants; the output read until then. */
    record TimedOut(List<String> command, Duration timeout, Output stdout, Output stderr) implements ProcessResult {
        public TimedOut {
            command = List.copyOf(command);
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
        }

        @Override
        public Exited exited() throws IOException {
            throw new IOException(describe());
        }

        /** For example {@code journalctl -u a.service did not finish within 30 s}. */
        public String describe() {
            long millis = timeout.toMillis();
            return String.join(" ", command) + " did not finish within "
                    + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
        }
    }

    /** The program could not be started: {@code reason} names it, for example {@code cannot run x: No such file...}. */
    record NotStarted(List<String> command, String reason) implements ProcessResult {
        public NotStarted {
            command = List.copyOf(command);
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Exited exited() throws IOException {
            throw new IOException(reason);
        }
    }
}
