package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over the parsers that take untrusted input: the unit-file parser, the requirements
 * manifest reader and the API's request bodies. Seeds are the unit fixtures and sample manifests and bodies; each
 * input is a seed mutated a few times (bit flips, control characters and NUL, invalid UTF-8 and lone surrogates,
 * huge numbers, deep nesting, duplicate keys, splices of two seeds, dictionary tokens). Only the typed input errors
 * may escape ({@link UnitFileException}, {@link ManifestException}, {@link Problem.ProblemException}), and every
 * input must finish within {@link #PER_INPUT_CPU} of CPU time: a watchdog fails the test naming the input. Replay a failure with
 * {@code -Dfuzz.seed=N} (the seed is printed in every failure message); {@code -Dfuzz.inputs=N} runs longer.
 */
class InputFuzzTest {

    static final int INPUTS = Integer.getInteger("fuzz.inputs", 100_000);
    /** CPU time one input may take (a parser spinning), and wall time (a parser blocked, or a loaded machine). */
    static final Duration PER_INPUT_CPU = Duration.ofSeconds(5);
    static final Duration PER_INPUT_WALL = Duration.ofSeconds(60);
    /** The whole run's CPU time: counted as CPU, so that a machine shared with other builds does not fail it. */
    static final Duration WHOLE_RUN_CPU = Duration.ofMinutes(2);

    private static final String[] MANIFESTS = {
        "{}",
        "{\"user\": \"app\", \"group\": \"app\", \"paths\": [{\"path\": \"/var/lib/app\", \"access\": \"rw\"},"
                + " {\"path\": \"/etc/ssl/key.pem\", \"access\": \"r\", \"secret\": true}], \"devices\": [\"/dev/ttyUSB0\"]}",
        "{\"paths\": [{\"path\": \"/srv/app/data\", \"access\": \"rwx\"}, {\"path\": \"/run/app\", \"access\": \"w\"}]}",
    };
    private static final String[] BODIES = {
        "{\"set\": {\"ProtectSystem\": \"strict\", \"ReadWritePaths\": [\"/var/lib/app\", \"-/run/app\"]},"
                + " \"requires\": {\"paths\": [{\"path\": \"/var/lib/app\", \"access\": \"rw\"}]}, \"probe\": false}",
        "{\"set\": {\"NoNewPrivileges\": \"yes\", \"SystemCallFilter\": \"@system-service\"}, \"restart\": true,"
                + " \"health\": {\"http\": \"http://127.0.0.1:8080/health\"}, \"timeoutSeconds\": 30, \"force\": false}",
        "{\"set\": {\"PrivateTmp\": \"yes\"}, \"health\": {\"exec\": [\"/usr/bin/curl\", \"-f\", \"http://x\"]}}",
        "{\"to\": 3, \"restart\": false, \"health\": null}",
        "{\"to\": null}",
        "{\"content\": \"[Unit]\\nDescription=x\\n\\n[Service]\\nExecStart=/usr/bin/app --flag\\nUser=app\\n\","
                + " \"restart\": true, \"timeoutSeconds\": 5}",
        "{\"requires\": {\"user\": \"app\", \"paths\": [{\"path\": \"/var/lib/app/db\", \"access\": \"rw\"}]},"
                + " \"dryRun\": true}",
        "{\"dryRun\": false}",
        "",
    };
    private static final String[] TOKENS = {
        "[Service]", "[Unit]", "[Install]", "[X-Vendor]", "\\\n", "\\", "=", "==", "%", "%i", "%%", "\"", "'", "\\x41",
        ";", "#", "\r\n", "\r", "\n", "ExecStart=", "ExecStart=+", "-", "@", "~", " ", "\t", "{", "}", "[", "]",
        ":", ",", "null", "true", "1e309", "-0", "\"set\":", "\"requires\":", "\"paths\":", "\"path\":", "\"/\"",
        "\"access\":\"rw\"", "\\u0000", "\\ud800", "\\uZZZZ", "/*", "//", "\uFEFF", "\u2028",
    };

    /** One input and what it was fed to: for the failure message. */
    private record Case(long seed, int index, String target, String input) {
        @Override
        public String toString() {
            return target + " input #" + index + " (replay: -Dfuzz.seed=" + seed + "): " + escape(input);
        }
    }

    @Test
    void parsers_mutatedInputs_onlyTypedErrorsAndNoHang() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        List<String> units = unitSeeds();
        assertTrue(units.size() > 20, "unit fixtures not found");
        AtomicReference<Case> current = new AtomicReference<>();
        AtomicLong started = new AtomicLong(System.nanoTime());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                run(seed, units, current, started);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "input-fuzz");
        worker.setDaemon(true);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        worker.start();
        long inputCpuStart = 0;
        Case watched = null;
        while (worker.isAlive()) {
            worker.join(100);
            long used = cpu.getThreadCpuTime(worker.getId());
            Case now = current.get();
            if (now != watched) {
                watched = now;
                inputCpuStart = used;
            }
            if (worker.isAlive() && (used - inputCpuStart > PER_INPUT_CPU.toNanos()
                    || System.nanoTime() - started.get() > PER_INPUT_WALL.toNanos())) {
                fail("no answer within " + PER_INPUT_CPU + " of CPU or " + PER_INPUT_WALL + " for " + now);
            }
            if (used > WHOLE_RUN_CPU.toNanos()) {
                fail("the run took more than " + WHOLE_RUN_CPU + " of CPU (seed " + seed + "); at " + now);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get().getMessage(), failure.get());
        }
    }

    private static void run(long seed, List<String> units, AtomicReference<Case> current, AtomicLong started) {
        Random random = new Random(seed);
        for (int i = 0; i < INPUTS; i++) {
            int kind = random.nextInt(3);
            String[] pool = kind == 0 ? units.toArray(String[]::new) : kind == 1 ? MANIFESTS : BODIES;
            String input = mutate(random, pool);
            if (kind == 0) {
                feed(new Case(seed, i, "UnitFile.parse", input), current, started, () -> {
                    UnitFile.parse(Path.of(random.nextBoolean() ? "app.service" : "app.service.d/50-x.conf"), input);
                }, UnitFileException.class);
            } else if (kind == 1) {
                feed(new Case(seed, i, "RequirementsManifest.parse", input), current, started,
                        () -> RequirementsManifest.parse(input, "requires.json"), ManifestException.class);
            } else {
                feedBody(new Case(seed, i, "API bodies", input), current, started);
            }
        }
    }

    private static void feedBody(Case c, AtomicReference<Case> current, AtomicLong started) {
        String body = c.input();
        List<Attempt> parsers = List.of(
                () -> CheckRequest.parse(body).candidate("service"),
                () -> ChangeBodies.hardening("app.service", body),
                () -> ChangeBodies.rollback("app.service", body),
                () -> ChangeBodies.unitFile("app.service", body),
                () -> JsonBodies.requirements(ChangeBodies.fix(body).requires()),
                () -> ChangeBodies.permissions(body),
                () -> ChangeBodies.activationOnly(body));
        for (Attempt parser : parsers) {
            feed(c, current, started, parser, Problem.ProblemException.class);
        }
    }

    @FunctionalInterface
    private interface Attempt {
        void run() throws Exception;
    }

    private static void feed(Case c, AtomicReference<Case> current, AtomicLong started, Attempt attempt,
                             Class<? extends Exception> typed) {
        current.set(c);
        started.set(System.nanoTime());
        try {
            attempt.run();
        } catch (Exception e) {
            if (!typed.isInstance(e)) {
                throw new AssertionError(e.getClass().getName() + " (only " + typed.getSimpleName()
                        + " may escape) for " + c + ": " + e.getMessage(), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(typed.getSimpleName() + " without a message for " + c, e);
            }
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(e.getClass().getName() + " for " + c, e);
        }
    }

    static String mutate(Random random, String[] pool) {
        StringBuilder s = new StringBuilder(pool[random.nextInt(pool.length)]);
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length() + 1);
            switch (random.nextInt(12)) {
                case 0 -> flipBit(random, s);
                case 1 -> s.insert(at, (char) (random.nextBoolean() ? 0 : random.nextInt(0x20)));
                case 2 -> s.insert(at, invalidUtf8(random));
                case 3 -> s.insert(at, hugeNumber(random));
                case 4 -> s.insert(at, nesting(random));
                case 5 -> duplicateKey(s);
                case 6 -> s.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 7 -> s.delete(at, Math.min(s.length(), at + random.nextInt(16)));
                case 8 -> splice(random, s, pool);
                case 9 -> s.insert(at, s.substring(at, Math.min(s.length(), at + random.nextInt(64))));
                case 10 -> s.insert(at, (char) 0x7f);
                default -> s.insert(at, random.nextInt(20_000) == 0 ? "x".repeat(1 << 20) : "a".repeat(random.nextInt(300)));
            }
        }
        return s.toString();
    }

    private static void flipBit(Random random, StringBuilder s) {
        if (s.length() > 0) {
            int i = random.nextInt(s.length());
            s.setCharAt(i, (char) (s.charAt(i) ^ (1 << random.nextInt(8))));
        }
    }

    /** Bytes that are not UTF-8, decoded as a server decodes a body (replacement characters), or lone surrogates. */
    private static String invalidUtf8(Random random) {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x90, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};
        return random.nextBoolean() ? new String(bad[random.nextInt(bad.length)], StandardCharsets.UTF_8)
                : String.valueOf((char) (0xD800 + random.nextInt(0x800)));
    }

    private static String hugeNumber(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "9".repeat(1 + random.nextInt(5000));
            case 1 -> "-" + Long.MAX_VALUE + "0";
            case 2 -> "1e" + random.nextInt(Integer.MAX_VALUE);
            default -> "0." + "0".repeat(random.nextInt(2000)) + "1";
        };
    }

    private static String nesting(Random random) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 100 : 5000);
        return random.nextBoolean() ? "[".repeat(depth) : "{\"a\":".repeat(depth);
    }

    /** Repeats the first {@code "key": } so that the object has it twice. */
    private static void duplicateKey(StringBuilder s) {
        int open = s.indexOf("{\"");
        int colon = open < 0 ? -1 : s.indexOf(":", open);
        if (colon > 0) {
            s.insert(open + 1, s.substring(open + 1, colon + 1) + " \"dup\", ");
        }
    }

    private static void splice(Random random, StringBuilder s, String[] pool) {
        String other = pool[random.nextInt(pool.length)];
        int from = other.isEmpty() ? 0 : random.nextInt(other.length());
        s.setLength(s.length() == 0 ? 0 : random.nextInt(s.length()));
        s.append(other, from, other.length());
    }

    private static List<String> unitSeeds() throws IOException {
        List<String> seeds = new ArrayList<>();
        for (String dir : new String[] {"src/test/resources/units", "src/test/resources/score"}) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    seeds.add(Files.readString(file));
                }
            }
        }
        return seeds;
    }

    /** The input as one printable line: control characters, non-ASCII and long runs shown escaped or elided. */
    static String escape(String input) {
        StringBuilder out = new StringBuilder("\"");
        String shown = input.length() > 2000 ? input.substring(0, 2000) : input;
        for (char c : shown.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? String.valueOf(c)
                    : String.format("\\u%04x", (int) c));
        }
        return out.append(input.length() > 2000 ? "\"... (" + input.length() + " chars)" : "\"").toString();
    }
}
